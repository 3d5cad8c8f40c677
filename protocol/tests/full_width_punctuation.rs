//! Every text the protocol gives people (outcomes, resend answers, problem titles, field errors)
//! takes full-width punctuation between Chinese characters.

use strum::IntoEnumIterator;

use protocol::{
    half_width_beside_chinese, BusinessType, CheckOutcome, CheckRequest, ProblemType, ResendOutcome, ResendRequest,
};

fn assert_clean(text: &str) {
    assert_eq!(half_width_beside_chinese(text), Vec::<String>::new(), "in {text:?}");
}

#[test]
fn outcomes_resend_answers_and_problem_titles_use_full_width_punctuation() {
    for outcome in CheckOutcome::every_kind("欧阳**", 2) {
        assert_clean(&outcome.message());
    }
    for outcome in ResendOutcome::iter() {
        assert_clean(&outcome.message());
    }
    for problem in ProblemType::iter() {
        assert_clean(problem.title());
    }
    for business in BusinessType::ALL {
        assert_clean(business.label());
    }
}

#[test]
fn every_field_error_uses_full_width_punctuation() {
    for typed in ["", "abc", "12", "１２３４５６７８９０１２３", "12345x", "+86 999"] {
        let request = CheckRequest { code: typed.into(), phone: typed.into(), id_suffix: typed.into() };
        let resend = ResendRequest { phone: typed.into(), id_suffix: typed.into() };
        let errors = request.parse().err().into_iter().chain(resend.parse().err()).flatten();
        for error in errors {
            assert_clean(&error.message);
        }
    }
}
