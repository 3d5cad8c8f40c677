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
    let name = || "欧阳**".to_owned();
    let outcomes = [
        CheckOutcome::Partial { name: name() },
        CheckOutcome::Completed { name: name() },
        CheckOutcome::AlreadyVerified { name: name() },
        CheckOutcome::NotFound,
        CheckOutcome::WrongCode { name: name(), tries_left: 2 },
        CheckOutcome::AttemptsUsedUp { name: name() },
        CheckOutcome::Expired { name: name() },
        CheckOutcome::Returned { name: name() },
        CheckOutcome::NotNeeded { name: name() },
        CheckOutcome::WrongSuffix { tries_left: 1 },
        CheckOutcome::LinkDisabled,
    ];
    for outcome in outcomes {
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
