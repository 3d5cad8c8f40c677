//! The words of the pages people read, written once: the app renders them, and the server renders
//! the same words into its pages for browsers without WebAssembly or JavaScript.

use serde::{Deserialize, Serialize};

use crate::InputField;

/// The site's name: the heading of the code form and the end of every document title.
pub const SITE_NAME: &str = "备案短信核验";

/// The way to the help page, on every page that asks for a code (and the help page's heading).
pub const HELP_LINK: &str = "收不到短信？";

/// The heading of a form's error summary, above the list of refused fields.
pub const FIX_THESE: &str = "请修改以下信息后重新提交：";

/// Read out before a field's error, for screen readers.
pub const ERROR_PREFIX: &str = "错误：";

/// The submit buttons.
pub const SUBMIT_CHECK: &str = "提交核验";
pub const SUBMIT_LINK_CHECK: &str = "确认核验";
pub const SUBMIT_RESEND: &str = "重新发送短信";

/// The way back to the code form.
pub const BACK_TO_FORM: &str = "返回短信核验";

/// The way back to the provincial filing site a person came from (`/?p=330000`), by the
/// province's full name: `返回浙江省备案系统`.
pub fn back_to_province(province_name: &str) -> String {
    format!("返回{province_name}备案系统")
}

/// The heading of the code form entered from a provincial site: `浙江省备案短信核验`.
pub fn province_site_name(province_name: &str) -> String {
    format!("{province_name}{SITE_NAME}")
}

/// Why a request went to review with nobody verifying (the provider's view and event): its
/// province did not verify by SMS on the day it was submitted.
pub fn straight_to_review(province_name: &str, authority: &str) -> String {
    format!("{province_name}未开展短信核验，该请求已直接提交{authority}审核。")
}

/// How a browser should treat a field's input: keyboard, autofill and case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputKind {
    pub input_type: &'static str,
    pub inputmode: Option<&'static str>,
    pub autocomplete: &'static str,
    /// Shown in capitals (an ID suffix may end in X).
    pub upper: bool,
}

impl InputField {
    /// The form field name, as the HTML forms post it and the JSON bodies spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The `id` of the field's input (`f-code`): the static form, the server's form pages and the
    /// app use the same ids, so focus and what was typed carry over.
    pub fn id(self) -> &'static str {
        match self {
            InputField::Code => "f-code",
            InputField::Phone => "f-phone",
            InputField::IdSuffix => "f-id_suffix",
        }
    }

    /// The short hint under the label: what to type, in the person's terms.
    pub fn hint(self) -> &'static str {
        match self {
            InputField::Code => "短信中的6位数字",
            InputField::Phone => "接收核验短信的手机号码",
            InputField::IdSuffix => "末位是X时请输入X",
        }
    }

    pub fn kind(self) -> InputKind {
        match self {
            // one-time-code lets iOS and Android offer the code straight from the SMS.
            InputField::Code => InputKind {
                input_type: "text",
                inputmode: Some("numeric"),
                autocomplete: "one-time-code",
                upper: false,
            },
            InputField::Phone => InputKind { input_type: "tel", inputmode: None, autocomplete: "tel", upper: false },
            // Letters are allowed (a resident ID may end in X), so no numeric keyboard here.
            InputField::IdSuffix => InputKind { input_type: "text", inputmode: None, autocomplete: "off", upper: true },
        }
    }
}

/// The help page ("收不到短信？"): three ways out, in this order.
pub mod help {
    /// The document title.
    pub const TITLE: &str = "收不到短信？ - 备案短信核验";

    pub const FILTER_HEADING: &str = "1. 查看短信是否被拦截";
    pub const FILTER_TEXT: &str =
        "核验短信由以下号码发送。请在手机的骚扰拦截、垃圾短信或通知过滤中查找，并将号码设为信任：";
    pub const FILTER_NOTE: &str =
        "携号转网或虚拟运营商（170、171、162、165、167 号段）的号码，由承载该号段的运营商发送。";
    /// Where the numbers go while the app is still asking the server for them.
    pub const SENDERS_LOADING: &str = "正在读取发送号码…";

    pub const RESEND_HEADING: &str = "2. 重新发送短信";
    pub const RESEND_TEXT: &str = "重发后，之前收到的验证码和链接即失效，请使用最新一条短信。重发次数有限。";

    pub const NUMBER_HEADING: &str = "3. 换用其他号码";
    pub const NUMBER_TEXT: &str =
        "如果该手机号码已停用或无法接收短信，请联系为您办理备案的接入商，使用其他手机号码重新提交备案申请。";
}

/// One number the SMS come from: the carrier's Chinese name and the sender number, as the server
/// is configured (`GET /api/v1/senders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    /// 中国电信, 中国联通, 中国移动 (and 中国广电 when it has a number of its own).
    pub carrier: String,
    pub number: String,
}

/// Every sender number, in the order the help page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Senders {
    pub senders: Vec<Sender>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::half_width_beside_chinese;

    #[test]
    fn field_names_are_the_wire_names_and_ids_follow_them() {
        for field in [InputField::Code, InputField::Phone, InputField::IdSuffix] {
            assert_eq!(InputField::from_wire(field.name()), Some(field));
            assert_eq!(field.id(), format!("f-{}", field.name()));
        }
    }

    #[test]
    fn every_page_text_uses_full_width_punctuation() {
        let fields = [InputField::Code, InputField::Phone, InputField::IdSuffix];
        let texts = [
            SITE_NAME,
            HELP_LINK,
            FIX_THESE,
            ERROR_PREFIX,
            SUBMIT_CHECK,
            SUBMIT_LINK_CHECK,
            SUBMIT_RESEND,
            BACK_TO_FORM,
            help::TITLE,
            help::FILTER_HEADING,
            help::FILTER_TEXT,
            help::FILTER_NOTE,
            help::SENDERS_LOADING,
            help::RESEND_HEADING,
            help::RESEND_TEXT,
            help::NUMBER_HEADING,
            help::NUMBER_TEXT,
            &back_to_province("浙江省"),
            &province_site_name("浙江省"),
            &straight_to_review("北京市", "北京市通信管理局"),
        ];
        let all = texts.into_iter().chain(fields.iter().flat_map(|f| [f.label(), f.hint()]));
        for text in all {
            assert_eq!(half_width_beside_chinese(text), Vec::<String>::new(), "{text}");
        }
    }
}
