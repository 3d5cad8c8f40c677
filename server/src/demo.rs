//! Demo data for the run command: an access provider and a filing, so a newcomer sees SMS with
//! clickable links on the console and can verify in the browser at once.

use protocol::{BusinessType, IdKind, NewFiling, NewPerson, NewSubject, NewWebsite};

use crate::service::{Service, ServiceError};

/// The demo people's ID suffixes are printed so a newcomer can type them.
pub async fn seed(service: &Service) -> Result<(), ServiceError> {
    let (provider_id, key) = service.create_provider("演示接入商").await?;
    let person = |name: &str, mobile: &str, id_number: &str| NewPerson {
        name: name.into(),
        mobile: mobile.into(),
        id_type: IdKind::ResidentId,
        id_number: id_number.into(),
    };
    let filing = NewFiling {
        business_type: BusinessType::NewFiling,
        // 浙江 has verified by SMS since 2018-09-10, so the demo's people get their SMS.
        province: "330000".into(),
        reference: Some("DEMO-001".into()),
        subject: NewSubject {
            name: "演示科技有限公司".into(),
            principal: person("张三", "13800138000", "11010519491231002X"),
            changed: false,
        },
        websites: vec![NewWebsite {
            name: "演示网站".into(),
            domains: vec!["demo.example.cn".into()],
            principal: person("李四", "18912345678", "440524188001010014"),
            changed: false,
        }],
        remarks_changed: false,
    };
    let submitted = service.submit_filing(&provider_id, &filing, None).await?;
    println!("demo: access provider API key (shown once): {key}");
    println!(
        "demo: filing {} needs 张三 (13800138000, ID suffix 31002X) and 李四 (18912345678, ID suffix 010014);",
        submitted.filing.id
    );
    println!("demo: their SMS, with codes and links, are printed below and appended to the data directory's sms.jsonl");
    Ok(())
}
