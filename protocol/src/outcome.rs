//! The answer to a check, and the exact words a person reads for it.

use serde::{Deserialize, Serialize};
use strum::{EnumDiscriminants, EnumIter, EnumString, IntoStaticStr, VariantNames};

/// What a check did: the FAQ's five outcomes and the ones we word ourselves (docs/rules.md).
/// An outcome that ends the person or the filing in a state carries that state's name
/// (docs/states.md); the others (`partial`, `already_verified`, `not_found`, `wrong_code`,
/// `wrong_suffix`) share no name with a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[derive(EnumDiscriminants)]
#[strum_discriminants(
    name(OutcomeKind),
    derive(EnumString, IntoStaticStr, VariantNames, EnumIter),
    strum(serialize_all = "snake_case")
)]
pub enum CheckOutcome {
    /// This person is now `verified`; others on the request still have to.
    Partial { name: String },
    /// This person is now `verified` and was the last one needed: the filing is `completed`,
    /// handed to review.
    Completed { name: String },
    /// This person was `verified` before; nothing changed.
    AlreadyVerified { name: String },
    /// No verification matches the phone number and ID suffix.
    NotFound,
    /// Phone and suffix matched, the code did not: one try used, `tries_left` more remain; the
    /// person stays `pending`.
    WrongCode { name: String, tries_left: u32 },
    /// This wrong code was the last allowed try, or was before: the person is `attempts_used_up`
    /// and the filing `returned`.
    AttemptsUsedUp { name: String },
    /// The code's validity ran out: the person is `expired` and the filing `returned`.
    Expired { name: String },
    /// The filing was `returned` on someone else's account: the person is `returned`.
    Returned { name: String },
    /// Someone else completed a request that needed only one of its people: the person is
    /// `not_needed`.
    NotNeeded { name: String },
    /// Through a short link: the ID suffix did not match; `tries_left` more before the link stops.
    /// A wrong suffix uses none of the code's tries.
    WrongSuffix { tries_left: u32 },
    /// Through a short link: too many wrong ID suffixes stopped the link (its landing is
    /// `link_disabled` from then on); the code still works on the form.
    LinkDisabled,
}

impl CheckOutcome {
    /// The wire name of the outcome (`partial`, `completed`, ...).
    pub fn kind(&self) -> &'static str {
        OutcomeKind::from(self).into()
    }

    /// Whether the person's verification succeeded (now or before).
    pub fn is_success(&self) -> bool {
        matches!(
            self,
            CheckOutcome::Partial { .. } | CheckOutcome::Completed { .. } | CheckOutcome::AlreadyVerified { .. }
        )
    }

    /// The text the person reads, with full-width punctuation (docs/rules.md, "What people read").
    pub fn message(&self) -> String {
        match self {
            CheckOutcome::Partial { name } => format!("{name}的短信核验完成。请等待其他待核验人进行短信核验。"),
            CheckOutcome::Completed { name } => {
                format!("{name}的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。")
            }
            CheckOutcome::AlreadyVerified { name } => format!("{name}的短信核验已经完成，无需重复提交。"),
            CheckOutcome::NotFound => "该条验证库里找不到记录。".to_owned(),
            CheckOutcome::WrongCode { name, tries_left } => {
                format!("{name}的短信核验失败，请输入正确的信息。您还可以尝试{tries_left}次。")
            }
            CheckOutcome::AttemptsUsedUp { name } => format!(
                "{name}的短信核验失败，验证码错误次数已达上限。您的备案申请已退回接入商，请联系接入商重新提交。"
            ),
            CheckOutcome::Expired { name } => {
                format!("{name}的短信验证码已超过有效期。您的备案申请已退回接入商，请联系接入商重新提交。")
            }
            CheckOutcome::Returned { name } => {
                format!("{name}的备案申请已退回接入商，无需继续核验。请联系接入商重新提交。")
            }
            CheckOutcome::NotNeeded { name } => {
                format!("{name}无需再进行短信核验：该请求已由其他负责人完成核验，将提交管局审核。")
            }
            CheckOutcome::WrongSuffix { tries_left } => {
                format!("证件号码后六位不正确，请核对后重新输入。此链接还可以尝试{tries_left}次。")
            }
            CheckOutcome::LinkDisabled => {
                "证件号码后六位多次输入错误，此链接已停用。请在短信核验页面输入短信中的验证码完成核验。".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every outcome that carries the person's name (on the wire, its `name` field).
    fn named(name: &str) -> Vec<CheckOutcome> {
        CheckOutcome::every_kind(name, 2)
            .into_iter()
            .filter(|outcome| serde_json::to_value(outcome).unwrap().get("name").is_some())
            .collect()
    }

    #[test]
    fn the_five_faq_messages_are_verbatim() {
        let n = || "张三".to_owned();
        assert_eq!(
            CheckOutcome::Partial { name: n() }.message(),
            "张三的短信核验完成。请等待其他待核验人进行短信核验。"
        );
        assert_eq!(
            CheckOutcome::Completed { name: n() }.message(),
            "张三的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。"
        );
        assert_eq!(CheckOutcome::AlreadyVerified { name: n() }.message(), "张三的短信核验已经完成，无需重复提交。");
        assert_eq!(CheckOutcome::NotFound.message(), "该条验证库里找不到记录。");
        assert!(CheckOutcome::WrongCode { name: n(), tries_left: 1 }
            .message()
            .starts_with("张三的短信核验失败，请输入正确的信息。"));
    }

    #[test]
    fn every_named_outcome_names_the_person_and_uses_full_width_punctuation() {
        for outcome in named("李四") {
            let text = outcome.message();
            assert!(text.starts_with("李四"), "{text}");
            assert!(!text.contains(',') && !text.contains('.'), "{text}");
        }
    }

    #[test]
    fn link_outcomes_name_nobody_and_say_what_to_do() {
        let wrong = CheckOutcome::WrongSuffix { tries_left: 2 }.message();
        assert!(wrong.contains("2次") && !wrong.contains(',') && !wrong.contains('.'), "{wrong}");
        assert!(CheckOutcome::LinkDisabled.message().contains("验证码"));
    }

    #[test]
    fn a_wrong_code_says_how_many_tries_are_left() {
        assert!(CheckOutcome::WrongCode { name: "王五".into(), tries_left: 2 }.message().contains("2次"));
    }

    #[test]
    fn outcomes_are_tagged_by_kind_on_the_wire() {
        for outcome in CheckOutcome::every_kind("赵六", 1) {
            let json = serde_json::to_value(&outcome).unwrap();
            assert_eq!(json["outcome"], outcome.kind());
            assert_eq!(serde_json::from_value::<CheckOutcome>(json).unwrap(), outcome);
        }
    }
}
