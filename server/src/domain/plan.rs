//! Who must verify a filing request, and when it is done (docs/rules.md).

use protocol::BusinessType;

use super::filing_request::{FilingRequest, Person};

/// Why someone must verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    SubjectPrincipal,
    WebsitePrincipal { website: String },
}

impl Role {
    /// `subject_principal` or `website_principal:<name>`, as stored and shown to providers.
    pub fn label(&self) -> String {
        match self {
            Role::SubjectPrincipal => "subject_principal".to_owned(),
            Role::WebsitePrincipal { website } => format!("website_principal:{website}"),
        }
    }
}

/// One SMS and one verification: one phone number, all its roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedVerification {
    pub person: Person,
    pub roles: Vec<Role>,
}

/// How many verifications complete the request; named (`all`, `any`) in the filing view and in
/// storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum Completion {
    /// Every person named must verify.
    All,
    /// Any one of them is enough (注销网站); the others become `not_needed`.
    Any,
}

impl Completion {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// An empty plan (a remarks-only change) goes straight to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub verifications: Vec<PlannedVerification>,
    pub completion: Completion,
}

/// A request whose values are each acceptable but together break a rule. `mobiles` are the JSON
/// pointers of the two `mobile` fields that hold the shared number, in request order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("手机号码{masked_phone}在同一请求中对应了不同的姓名（{first}、{second}）。同一手机号码只能属于一人。")]
    ConflictingNames { masked_phone: String, first: String, second: String, mobiles: [String; 2] },
    #[error("手机号码{masked_phone}在同一请求中对应了不同的证件号码。同一手机号码只能属于一人。")]
    ConflictingIds { masked_phone: String, mobiles: [String; 2] },
    #[error("{business}请求必须至少包含一个网站。")]
    NoWebsites { business: &'static str },
    #[error("备案变更请求必须说明变更内容：主体、网站（changed）或仅备注（remarks_changed）。")]
    NothingChanged,
    #[error("变更手机号码请求必须标明号码变更的负责人（changed）。")]
    NoPhoneChanged,
}

impl PlanError {
    /// The JSON pointers of the request values that together break the rule.
    pub fn fields(&self) -> Vec<String> {
        match self {
            PlanError::ConflictingNames { mobiles, .. } | PlanError::ConflictingIds { mobiles, .. } => mobiles.to_vec(),
            PlanError::NoWebsites { .. } => vec!["/websites".to_owned()],
            PlanError::NothingChanged => vec!["/subject/changed".to_owned(), "/remarks_changed".to_owned()],
            PlanError::NoPhoneChanged => vec!["/subject/changed".to_owned()],
        }
    }
}

/// A person the request names, with the JSON pointer of the object that holds them.
type Named<'a> = (&'a Person, Role, String);

/// The verifications a request needs and its completion rule.
pub fn plan(request: &FilingRequest) -> Result<Plan, PlanError> {
    let subject = || (&request.subject.principal, Role::SubjectPrincipal, "/subject/principal".to_owned());
    let website_roles = |only_changed: bool| {
        request.websites.iter().enumerate().filter(move |(_, w)| !only_changed || w.changed).map(|(i, w)| {
            (&w.principal, Role::WebsitePrincipal { website: w.name.clone() }, format!("/websites/{i}/principal"))
        })
    };
    let needs_websites = |business: BusinessType| {
        if request.websites.is_empty() {
            Err(PlanError::NoWebsites { business: business.label() })
        } else {
            Ok(())
        }
    };

    let (people, completion): (Vec<Named>, Completion) = match request.business_type {
        BusinessType::NewFiling => (std::iter::once(subject()).chain(website_roles(false)).collect(), Completion::All),
        t @ (BusinessType::NewWebsite | BusinessType::NewAccess | BusinessType::CancelAccess) => {
            needs_websites(t)?;
            (website_roles(false).collect(), Completion::All)
        }
        BusinessType::Change => {
            let subject_changed = request.subject.changed.then(subject);
            let people: Vec<_> = subject_changed.into_iter().chain(website_roles(true)).collect();
            if people.is_empty() && !request.remarks_changed {
                return Err(PlanError::NothingChanged);
            }
            (people, Completion::All)
        }
        BusinessType::CancelSubject => (vec![subject()], Completion::All),
        t @ BusinessType::CancelWebsite => {
            needs_websites(t)?;
            (std::iter::once(subject()).chain(website_roles(false)).collect(), Completion::Any)
        }
        BusinessType::PhoneChange => {
            let subject_changed = request.subject.changed.then(subject);
            let people: Vec<_> = subject_changed.into_iter().chain(website_roles(true)).collect();
            if people.is_empty() {
                return Err(PlanError::NoPhoneChanged);
            }
            (people, Completion::All)
        }
    };
    Ok(Plan { verifications: merge_by_phone(people)?, completion })
}

/// One phone number is one person: merge their roles, refuse two names or two IDs on one number.
fn merge_by_phone(people: Vec<Named>) -> Result<Vec<PlannedVerification>, PlanError> {
    // Each planned verification with where its person first appears, to name both in a refusal.
    let mut planned: Vec<(PlannedVerification, String)> = Vec::new();
    for (person, role, at) in people {
        match planned.iter_mut().find(|(p, _)| p.person.phone == person.phone) {
            Some((existing, first_at)) => {
                let mobiles = || [format!("{first_at}/mobile"), format!("{at}/mobile")];
                if existing.person.name != person.name {
                    return Err(PlanError::ConflictingNames {
                        masked_phone: person.phone.masked(),
                        first: existing.person.name.clone(),
                        second: person.name.clone(),
                        mobiles: mobiles(),
                    });
                }
                if existing.person.id_suffix != person.id_suffix {
                    return Err(PlanError::ConflictingIds { masked_phone: person.phone.masked(), mobiles: mobiles() });
                }
                if !existing.roles.contains(&role) {
                    existing.roles.push(role);
                }
            }
            None => planned.push((PlannedVerification { person: person.clone(), roles: vec![role] }, at)),
        }
    }
    Ok(planned.into_iter().map(|(verification, _)| verification).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::filing_request::{Subject, Website};
    use protocol::{IdSuffix, Phone};

    fn person(name: &str, phone: &str) -> Person {
        Person {
            name: name.into(),
            phone: Phone::parse(phone).unwrap(),
            id_suffix: IdSuffix::parse(&phone[5..]).unwrap(),
        }
    }

    fn website(name: &str, principal: Person, changed: bool) -> Website {
        Website { name: name.into(), domains: vec![], principal, changed }
    }

    fn request(business_type: BusinessType, subject_changed: bool, websites: Vec<Website>) -> FilingRequest {
        FilingRequest {
            business_type,
            province: protocol::ProvinceCode::parse("330000").expect("浙江"),
            reference: None,
            subject: Subject {
                name: "示例公司".into(),
                principal: person("张三", "13800000001"),
                changed: subject_changed,
            },
            websites,
            remarks_changed: false,
        }
    }

    fn two_sites() -> Vec<Website> {
        vec![
            website("甲网", person("李四", "13900000002"), false),
            website("乙网", person("王五", "13700000003"), false),
        ]
    }

    fn names(plan: &Plan) -> Vec<&str> {
        plan.verifications.iter().map(|v| v.person.name.as_str()).collect()
    }

    #[test]
    fn new_filing_needs_the_subject_principal_and_every_website_principal() {
        let plan = plan(&request(BusinessType::NewFiling, false, two_sites())).unwrap();
        assert_eq!(names(&plan), ["张三", "李四", "王五"]);
        assert_eq!(plan.completion, Completion::All);
    }

    #[test]
    fn new_website_new_access_and_cancel_access_need_each_listed_website_principal() {
        for t in [BusinessType::NewWebsite, BusinessType::NewAccess, BusinessType::CancelAccess] {
            let plan = plan(&request(t, false, two_sites())).unwrap();
            assert_eq!(names(&plan), ["李四", "王五"], "{t:?}");
            assert_eq!(plan.completion, Completion::All, "{t:?}");
        }
    }

    #[test]
    fn website_business_without_websites_is_refused() {
        for t in
            [BusinessType::NewWebsite, BusinessType::NewAccess, BusinessType::CancelAccess, BusinessType::CancelWebsite]
        {
            assert!(matches!(plan(&request(t, false, vec![])), Err(PlanError::NoWebsites { .. })), "{t:?}");
        }
    }

    #[test]
    fn cancel_subject_needs_only_the_subject_principal() {
        let plan = plan(&request(BusinessType::CancelSubject, false, two_sites())).unwrap();
        assert_eq!(names(&plan), ["张三"]);
        assert_eq!(plan.completion, Completion::All);
    }

    #[test]
    fn cancel_website_completes_when_any_one_of_the_principals_verifies() {
        let plan = plan(&request(BusinessType::CancelWebsite, false, two_sites()[..1].to_vec())).unwrap();
        assert_eq!(names(&plan), ["张三", "李四"]);
        assert_eq!(plan.completion, Completion::Any);
    }

    #[test]
    fn change_of_subject_data_needs_the_subject_principal_only() {
        let plan = plan(&request(BusinessType::Change, true, two_sites())).unwrap();
        assert_eq!(names(&plan), ["张三"]);
    }

    #[test]
    fn change_of_several_websites_needs_each_changed_website_principal() {
        let mut sites = two_sites();
        sites.push(website("丙网", person("赵六", "13600000004"), true));
        sites[0].changed = true;
        let plan = plan(&request(BusinessType::Change, false, sites)).unwrap();
        assert_eq!(names(&plan), ["李四", "赵六"]);
        assert_eq!(plan.completion, Completion::All);
    }

    #[test]
    fn change_of_subject_and_websites_needs_all_of_them() {
        let mut sites = two_sites();
        sites[1].changed = true;
        let plan = plan(&request(BusinessType::Change, true, sites)).unwrap();
        assert_eq!(names(&plan), ["张三", "王五"]);
    }

    #[test]
    fn remarks_only_change_needs_nobody() {
        let mut req = request(BusinessType::Change, false, two_sites());
        req.remarks_changed = true;
        assert!(plan(&req).unwrap().verifications.is_empty());
    }

    #[test]
    fn change_that_names_no_change_is_refused() {
        assert_eq!(plan(&request(BusinessType::Change, false, two_sites())), Err(PlanError::NothingChanged));
    }

    #[test]
    fn phone_change_verifies_the_changed_person_at_the_number_in_the_request() {
        let mut sites = two_sites();
        sites[0].changed = true;
        sites[0].principal.phone = Phone::parse("15000000009").unwrap();
        let plan = plan(&request(BusinessType::PhoneChange, false, sites)).unwrap();
        assert_eq!(names(&plan), ["李四"]);
        assert_eq!(plan.verifications[0].person.phone.as_str(), "15000000009");
        assert_eq!(self::plan(&request(BusinessType::PhoneChange, false, two_sites())), Err(PlanError::NoPhoneChanged));
    }

    #[test]
    fn one_number_in_several_roles_gets_one_verification_covering_all_roles() {
        let sites = vec![
            website("甲网", person("张三", "13800000001"), false),
            website("乙网", person("张三", "13800000001"), false),
        ];
        let plan = plan(&request(BusinessType::NewFiling, false, sites)).unwrap();
        assert_eq!(plan.verifications.len(), 1);
        let roles: Vec<_> = plan.verifications[0].roles.iter().map(Role::label).collect();
        assert_eq!(roles, ["subject_principal", "website_principal:甲网", "website_principal:乙网"]);
    }

    #[test]
    fn one_number_with_two_names_is_refused_naming_both_mobile_fields() {
        let sites = vec![
            website("甲网", person("王五", "13700000003"), false),
            website("乙网", person("李四", "13800000001"), false),
        ];
        let err = plan(&request(BusinessType::NewFiling, false, sites)).unwrap_err();
        assert!(matches!(err, PlanError::ConflictingNames { .. }));
        assert!(err.to_string().contains("138****0001"));
        assert_eq!(err.fields(), ["/subject/principal/mobile", "/websites/1/principal/mobile"]);
    }

    #[test]
    fn two_websites_sharing_a_number_under_two_names_are_both_named() {
        let sites = vec![
            website("甲网", person("李四", "13900000002"), false),
            website("乙网", person("王五", "13700000003"), false),
            website("丙网", person("赵六", "13900000002"), false),
        ];
        let err = plan(&request(BusinessType::NewFiling, false, sites)).unwrap_err();
        assert_eq!(err.fields(), ["/websites/0/principal/mobile", "/websites/2/principal/mobile"]);
    }

    #[test]
    fn one_number_with_two_id_documents_is_refused() {
        let mut other = person("张三", "13800000001");
        other.id_suffix = IdSuffix::parse("99999X").unwrap();
        let sites = vec![website("甲网", other, false)];
        let err = plan(&request(BusinessType::NewFiling, false, sites)).unwrap_err();
        assert!(matches!(err, PlanError::ConflictingIds { .. }));
        assert_eq!(err.fields(), ["/subject/principal/mobile", "/websites/0/principal/mobile"]);
    }
}
