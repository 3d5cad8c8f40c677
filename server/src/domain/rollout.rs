//! The SMS-verification rollout by province: one row per province (names, its 管局, the first day
//! requests there are verified by SMS, its filing site), as data (`server/data/provinces.tsv`,
//! embedded as the default, or the operator's `BEIAN_PROVINCES_FILE`).

use std::collections::HashMap;

use protocol::ProvinceCode;
use time::{Date, OffsetDateTime, UtcOffset};

/// The rollout shipped with the server: the 2018 pilot FAQ's provinces and dates.
pub const DEFAULT_ROLLOUT: &str = include_str!("../../data/provinces.tsv");

/// Days begin in China time: a province that starts on 2018-09-10 verifies from 00:00 +08:00.
const CHINA_TIME: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// One province's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    pub code: ProvinceCode,
    /// 浙江
    pub short_name: String,
    /// 浙江省
    pub name: String,
    /// 浙江省通信管理局: reviews the province's requests.
    pub authority: String,
    /// The first day (China time) requests are verified by SMS; `None`: not yet.
    pub sms_from: Option<Date>,
    /// The province's filing site, for the way back from `/?p=<code>`.
    pub site: Option<String>,
}

impl Province {
    /// Whether a request submitted at `at` (a UTC instant) is verified by SMS.
    pub fn verifies_at(&self, at: OffsetDateTime) -> bool {
        self.sms_from.is_some_and(|from| at.to_offset(CHINA_TIME).date() >= from)
    }
}

/// Why a rollout file was refused. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolloutError {
    #[error("line {line}: expected `code short name authority sms_from [site]`, found {found} columns")]
    Columns { line: usize, found: usize },
    #[error("line {line}: {code:?} is not a provincial code (GB/T 2260, six digits such as 330000)")]
    UnknownCode { line: usize, code: String },
    #[error("line {line}: province {code} is already listed on line {first_line}")]
    Duplicate { line: usize, code: String, first_line: usize },
    #[error("line {line}: {date:?} is not a date (YYYY-MM-DD, or - for none)")]
    BadDate { line: usize, date: String },
    #[error("line {line}: {site:?} is not an http:// or https:// address")]
    BadSite { line: usize, site: String },
    #[error("province {code} is not listed (every one of the 31 needs a row; - as its date turns it off)")]
    Missing { code: String },
}

/// Every province's row, by code. Only [`Rollout::parse`] and [`Rollout::default`] make one, so
/// a rollout always lists each of the 31 provinces exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    provinces: HashMap<ProvinceCode, Province>,
}

impl Rollout {
    /// Reads the format of `server/data/provinces.tsv`: whitespace-separated columns, `#`
    /// comments, blank lines ignored. Refuses the whole file on the first bad line.
    pub fn parse(text: &str) -> Result<Rollout, RolloutError> {
        let mut provinces = HashMap::new();
        let mut first_seen = HashMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let columns: Vec<&str> = raw.split('#').next().unwrap_or_default().split_whitespace().collect();
            let [code, short_name, name, authority, sms_from, rest @ ..] = columns.as_slice() else {
                if columns.is_empty() {
                    continue;
                }
                return Err(RolloutError::Columns { line, found: columns.len() });
            };
            if rest.len() > 1 {
                return Err(RolloutError::Columns { line, found: columns.len() });
            }
            let code =
                ProvinceCode::parse(code).map_err(|_| RolloutError::UnknownCode { line, code: (*code).to_owned() })?;
            if let Some(&first_line) = first_seen.get(&code) {
                return Err(RolloutError::Duplicate { line, code: code.as_string(), first_line });
            }
            first_seen.insert(code, line);
            let sms_from = match *sms_from {
                "-" => None,
                date => Some(parse_date(date).ok_or_else(|| RolloutError::BadDate { line, date: date.to_owned() })?),
            };
            let site = match rest.first() {
                None => None,
                Some(site) if is_site(site) => Some((*site).to_owned()),
                Some(site) => return Err(RolloutError::BadSite { line, site: (*site).to_owned() }),
            };
            let row = Province {
                code,
                short_name: (*short_name).to_owned(),
                name: (*name).to_owned(),
                authority: (*authority).to_owned(),
                sms_from,
                site,
            };
            provinces.insert(code, row);
        }
        if let Some(missing) = ProvinceCode::all().find(|code| !provinces.contains_key(code)) {
            return Err(RolloutError::Missing { code: missing.as_string() });
        }
        Ok(Rollout { provinces })
    }

    /// The row of a province (every known code has one).
    pub fn province(&self, code: ProvinceCode) -> &Province {
        self.provinces.get(&code).expect("a rollout lists every province (checked when parsed)")
    }

    /// Every row, in code order.
    pub fn provinces(&self) -> Vec<&Province> {
        ProvinceCode::all().map(|code| self.province(code)).collect()
    }
}

impl Default for Rollout {
    /// The shipped rollout, [`DEFAULT_ROLLOUT`].
    fn default() -> Self {
        Rollout::parse(DEFAULT_ROLLOUT).expect("the embedded rollout is valid (tested)")
    }
}

/// `YYYY-MM-DD` with a real day of a real month.
fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).ok()
}

/// An absolute http(s) address with a host: it goes into an `href` as it is (escaped).
fn is_site(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn code(text: &str) -> ProvinceCode {
        ProvinceCode::parse(text).unwrap()
    }

    #[test]
    fn the_shipped_rollout_is_the_faqs_22_provinces_and_9_without_a_date() {
        let rollout = Rollout::default();
        let dated: Vec<_> = rollout.provinces().into_iter().filter(|p| p.sms_from.is_some()).collect();
        assert_eq!(dated.len(), 22);
        let on = |day: Date| {
            dated.iter().filter(|p| p.sms_from == Some(day)).map(|p| p.short_name.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(on(date!(2018 - 09 - 10)), ["浙江", "福建", "广西", "重庆", "四川", "云南", "陕西"]);
        assert_eq!(on(date!(2018 - 09 - 24)), ["山西", "内蒙古", "黑龙江", "安徽", "山东", "河南", "湖北", "湖南"]);
        assert_eq!(on(date!(2018 - 01 - 01)), ["天津", "海南", "西藏", "甘肃", "青海", "宁夏", "新疆"]);
        let zhejiang = rollout.province(code("330000"));
        assert_eq!((zhejiang.name.as_str(), zhejiang.authority.as_str()), ("浙江省", "浙江省通信管理局"));
        assert_eq!(rollout.province(code("110000")).sms_from, None);
    }

    #[test]
    fn a_province_verifies_from_the_start_of_its_first_day_in_china_time() {
        let zhejiang = Rollout::default().province(code("330000")).clone();
        assert!(!zhejiang.verifies_at(datetime!(2018-09-09 15:59:59 UTC)));
        assert!(zhejiang.verifies_at(datetime!(2018-09-09 16:00:00 UTC)));
        assert!(zhejiang.verifies_at(datetime!(2026-11-29 00:00:00 UTC)));
        let beijing = Rollout::default().province(code("110000")).clone();
        assert!(!beijing.verifies_at(datetime!(2026-11-29 00:00:00 UTC)));
    }

    /// The shipped file with one line replaced (by its code) or appended.
    fn edited(code: &str, line: Option<&str>) -> String {
        let mut lines: Vec<String> =
            DEFAULT_ROLLOUT.lines().filter(|l| !l.starts_with(code)).map(str::to_owned).collect();
        lines.extend(line.map(str::to_owned));
        lines.join("\n")
    }

    #[test]
    fn bad_rollout_files_are_refused_with_their_line() {
        let refused = |text: String| Rollout::parse(&text).unwrap_err();
        assert!(matches!(
            refused(edited("990000", Some("990000 外 外省 外省通信管理局 -"))),
            RolloutError::UnknownCode { .. }
        ));
        assert!(matches!(
            refused(edited("330000", Some("浙江 浙江 浙江省 浙江省通信管理局 -"))),
            RolloutError::UnknownCode { .. }
        ));
        let twice = format!("{DEFAULT_ROLLOUT}330000 浙江 浙江省 浙江省通信管理局 -\n");
        assert!(matches!(refused(twice), RolloutError::Duplicate { ref code, .. } if code == "330000"));
        for date in ["2018-02-30", "2018/09/10", "20180910", "soon"] {
            let line = format!("330000 浙江 浙江省 浙江省通信管理局 {date}");
            assert!(matches!(refused(edited("330000", Some(&line))), RolloutError::BadDate { .. }), "{date}");
        }
        let bad_site = "330000 浙江 浙江省 浙江省通信管理局 - javascript:alert(1)";
        assert!(matches!(refused(edited("330000", Some(bad_site))), RolloutError::BadSite { .. }));
        assert!(matches!(refused(edited("330000", Some("330000 浙江 浙江省"))), RolloutError::Columns { .. }));
        assert_eq!(refused(edited("330000", None)), RolloutError::Missing { code: "330000".into() });
    }

    #[test]
    fn an_operator_turns_a_province_on_by_giving_it_a_date_and_a_site() {
        let line = "110000 北京 北京市 北京市通信管理局 2026-12-01 https://beian.example.cn/bj";
        let rollout = Rollout::parse(&edited("110000", Some(line))).unwrap();
        let beijing = rollout.province(code("110000"));
        assert_eq!(beijing.sms_from, Some(date!(2026 - 12 - 01)));
        assert_eq!(beijing.site.as_deref(), Some("https://beian.example.cn/bj"));
    }
}
