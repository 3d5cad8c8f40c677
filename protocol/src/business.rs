//! The eight business types (业务类型) of a filing request.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, strum::EnumIter, strum::EnumMessage))]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum BusinessType {
    /// 新增备案
    NewFiling,
    /// 新增网站
    NewWebsite,
    /// 新增接入
    NewAccess,
    /// 备案变更
    Change,
    /// 注销主体
    CancelSubject,
    /// 注销网站
    CancelWebsite,
    /// 取消接入
    CancelAccess,
    /// 变更手机号码
    PhoneChange,
}

impl BusinessType {
    pub const ALL: [BusinessType; 8] = [
        BusinessType::NewFiling,
        BusinessType::NewWebsite,
        BusinessType::NewAccess,
        BusinessType::Change,
        BusinessType::CancelSubject,
        BusinessType::CancelWebsite,
        BusinessType::CancelAccess,
        BusinessType::PhoneChange,
    ];

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            BusinessType::NewFiling => "新增备案",
            BusinessType::NewWebsite => "新增网站",
            BusinessType::NewAccess => "新增接入",
            BusinessType::Change => "备案变更",
            BusinessType::CancelSubject => "注销主体",
            BusinessType::CancelWebsite => "注销网站",
            BusinessType::CancelAccess => "取消接入",
            BusinessType::PhoneChange => "变更手机号码",
        }
    }

    /// The wire name (`new_filing`, ...), also used in storage.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde_and_round_trip() {
        for t in BusinessType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(BusinessType::from_wire(t.as_str()), Some(t));
        }
    }
}
