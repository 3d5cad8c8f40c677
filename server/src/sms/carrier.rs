//! The four mainland carriers an SMS can travel through.

use serde::{Deserialize, Serialize};

/// A mainland mobile network. Virtual operators (MVNOs) are not carriers of their own: their
/// numbers are routed through the network that hosts their range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::Display, strum::VariantNames)]
#[strum(serialize_all = "snake_case", parse_err_ty = UnknownCarrier, parse_err_fn = UnknownCarrier::from)]
pub enum Carrier {
    /// 中国移动
    ChinaMobile,
    /// 中国联通
    ChinaUnicom,
    /// 中国电信
    ChinaTelecom,
    /// 中国广电
    ChinaBroadnet,
}

impl Carrier {
    pub const ALL: [Carrier; 4] =
        [Carrier::ChinaMobile, Carrier::ChinaUnicom, Carrier::ChinaTelecom, Carrier::ChinaBroadnet];

    /// The wire and data-file name (`china_mobile`, …), the same as serde's.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl Carrier {
    /// The name people know the carrier by, as the help page lists it.
    pub fn chinese_name(self) -> &'static str {
        match self {
            Carrier::ChinaMobile => "中国移动",
            Carrier::ChinaUnicom => "中国联通",
            Carrier::ChinaTelecom => "中国电信",
            Carrier::ChinaBroadnet => "中国广电",
        }
    }
}

/// A carrier name that is none of [`Carrier::as_str`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown carrier {0:?} (expected one of {names})", names = <Carrier as strum::VariantNames>::VARIANTS.join(", "))]
pub struct UnknownCarrier(pub String);

impl From<&str> for UnknownCarrier {
    fn from(name: &str) -> UnknownCarrier {
        UnknownCarrier(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_matches_serde_and_parses_back() {
        for carrier in Carrier::ALL {
            let json = serde_json::to_string(&carrier).unwrap();
            assert_eq!(json, format!("\"{}\"", carrier.as_str()));
            assert_eq!(carrier.as_str().parse::<Carrier>(), Ok(carrier));
        }
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!("mobile".parse::<Carrier>().is_err());
        assert!("China_Mobile".parse::<Carrier>().is_err());
    }
}
