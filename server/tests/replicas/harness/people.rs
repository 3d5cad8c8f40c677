//! The people and filings the replica tests submit: every filing gets numbers of its own, so its
//! SMS are told apart by number alone.

use protocol::{BusinessType, IdKind, NewFiling, NewPerson, NewSubject, NewWebsite};

/// 张三: the subject's principal. (name, ID number, ID suffix)
pub const ZHANG: (&str, &str, &str) = ("张三", "11010519491231002X", "31002X");
/// 李四: a website's principal.
pub const LI: (&str, &str, &str) = ("李四", "440524188001010014", "010014");

/// The `n`th of a series of mobile numbers: China Mobile's 138 for 张三, China Telecom's 189 for 李四.
pub fn zhang_phone(n: usize) -> String {
    format!("138{n:08}")
}

pub fn li_phone(n: usize) -> String {
    format!("189{n:08}")
}

fn person((name, id_number, _): (&str, &str, &str), mobile: &str) -> NewPerson {
    NewPerson { name: name.into(), mobile: mobile.into(), id_type: IdKind::ResidentId, id_number: id_number.into() }
}

/// A new filing (新增备案): 张三 at `zhang_phone(n)` and 李四 at `li_phone(n)` must both verify.
pub fn two_person_filing(n: usize) -> NewFiling {
    NewFiling {
        business_type: BusinessType::NewFiling,
        province: "330000".into(),
        reference: Some(format!("R-{n}")),
        subject: NewSubject {
            name: "示例科技有限公司".into(),
            principal: person(ZHANG, &zhang_phone(n)),
            changed: false,
        },
        websites: vec![NewWebsite {
            name: "示例网站".into(),
            domains: vec!["example.cn".into()],
            principal: person(LI, &li_phone(n)),
            changed: false,
        }],
        remarks_changed: false,
    }
}

/// A subject cancellation (注销主体): only 张三, at `zhang_phone(n)`, verifies; one SMS.
pub fn one_person_filing(n: usize) -> NewFiling {
    NewFiling {
        business_type: BusinessType::CancelSubject,
        province: "330000".into(),
        reference: Some(format!("C-{n}")),
        subject: NewSubject {
            name: "示例科技有限公司".into(),
            principal: person(ZHANG, &zhang_phone(n)),
            changed: false,
        },
        websites: Vec::new(),
        remarks_changed: false,
    }
}
