//! Which carrier carries an SMS to a number, and which sender number it goes out from.
//!
//! The prefix table is data (`server/data/number-ranges.tsv`, embedded as the default) so an
//! operator can load an updated one; ported numbers (携号转网) go in a per-number override table.

use std::collections::HashMap;

use protocol::Phone;
use serde::{Deserialize, Serialize};

use super::carrier::Carrier;

/// The range table shipped with the server.
pub const DEFAULT_RANGES: &str = include_str!("../../data/number-ranges.tsv");

/// Longest prefix a range table may hold: a whole number is an override, not a range.
const MAX_PREFIX_LEN: usize = 10;

/// Why a range table or an override table was refused. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeTableError {
    /// Without the line's text: in an override file it is a person's number.
    #[error("line {line}: expected `<prefix> <carrier>`, found no carrier")]
    MissingCarrier { line: usize },
    #[error("line {line}: unexpected {extra:?} after the carrier (start a comment with #)")]
    ExtraField { line: usize, extra: String },
    #[error("line {line}: {prefix:?} is not a number prefix (1 to {MAX_PREFIX_LEN} digits starting with 1)")]
    BadPrefix { line: usize, prefix: String },
    /// The number itself is left out: an override file lists people's numbers, and the line
    /// number finds it.
    #[error("line {line}: not a mainland mobile number: {reason}")]
    BadNumber { line: usize, reason: String },
    #[error(
        "line {line}: unknown carrier {name:?} (expected china_mobile, china_unicom, china_telecom or china_broadnet)"
    )]
    UnknownCarrier { line: usize, name: String },
    #[error("line {line}: {key} is already listed on line {first_line}")]
    Duplicate { line: usize, key: String, first_line: usize },
    #[error("the range table lists no prefix")]
    Empty,
}

/// Number prefixes and the carrier each belongs to; looked up by longest prefix.
/// The only ways to get one are [`RangeTable::parse`] and [`RangeTable::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeTable {
    prefixes: HashMap<String, Carrier>,
    longest: usize,
}

impl RangeTable {
    /// Reads the table format of `server/data/number-ranges.tsv`: one `prefix<TAB>carrier` a
    /// line (any whitespace separates), `#` comments, blank lines ignored. Refuses the whole
    /// table on the first bad line, so a typo never silently misroutes.
    pub fn parse(text: &str) -> Result<RangeTable, RangeTableError> {
        let mut prefixes = HashMap::new();
        let mut first_seen = HashMap::new();
        for entry in entries(text) {
            let (line, key, carrier) = entry?;
            let valid = (1..=MAX_PREFIX_LEN).contains(&key.len())
                && key.starts_with('1')
                && key.bytes().all(|b| b.is_ascii_digit());
            if !valid {
                return Err(RangeTableError::BadPrefix { line, prefix: key.to_owned() });
            }
            if let Some(&first_line) = first_seen.get(key) {
                return Err(RangeTableError::Duplicate { line, key: key.to_owned(), first_line });
            }
            first_seen.insert(key, line);
            prefixes.insert(key.to_owned(), carrier);
        }
        let longest = prefixes.keys().map(String::len).max().ok_or(RangeTableError::Empty)?;
        Ok(RangeTable { prefixes, longest })
    }

    /// The carrier of the longest listed prefix of `number`, if any.
    pub fn lookup(&self, number: &str) -> Option<Carrier> {
        (1..=self.longest.min(number.len()))
            .rev()
            .find_map(|len| number.get(..len).and_then(|prefix| self.prefixes.get(prefix)))
            .copied()
    }

    /// Every listed prefix and its carrier, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Carrier)> {
        self.prefixes.iter().map(|(prefix, carrier)| (prefix.as_str(), *carrier))
    }
}

impl Default for RangeTable {
    /// The shipped table, [`DEFAULT_RANGES`].
    fn default() -> Self {
        RangeTable::parse(DEFAULT_RANGES).expect("the embedded range table is valid (tested)")
    }
}

/// Reads an override table: the range table's format with whole numbers instead of prefixes
/// (`13800138000<TAB>china_telecom` for a number ported from Mobile to Telecom). Numbers are
/// parsed like user input, so `+86 138 0013 8000` is accepted.
pub fn parse_overrides(text: &str) -> Result<HashMap<Phone, Carrier>, RangeTableError> {
    let mut overrides = HashMap::new();
    let mut first_seen: HashMap<Phone, usize> = HashMap::new();
    for entry in entries(text) {
        let (line, key, carrier) = entry?;
        let phone = Phone::parse(key).map_err(|e| RangeTableError::BadNumber { line, reason: e.to_string() })?;
        if let Some(&first_line) = first_seen.get(&phone) {
            return Err(RangeTableError::Duplicate { line, key: phone.masked(), first_line });
        }
        first_seen.insert(phone.clone(), line);
        overrides.insert(phone, carrier);
    }
    Ok(overrides)
}

/// The `(line number, key, carrier)` of each non-blank, non-comment line.
fn entries(text: &str) -> impl Iterator<Item = Result<(usize, &str, Carrier), RangeTableError>> {
    text.lines().enumerate().filter_map(|(index, raw)| {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            return None;
        }
        let mut fields = content.split_whitespace();
        let key = fields.next()?;
        let Some(name) = fields.next() else {
            return Some(Err(RangeTableError::MissingCarrier { line }));
        };
        if let Some(extra) = fields.next() {
            return Some(Err(RangeTableError::ExtraField { line, extra: extra.to_owned() }));
        }
        Some(
            name.parse::<Carrier>()
                .map(|carrier| (line, key, carrier))
                .map_err(|_| RangeTableError::UnknownCarrier { line, name: name.to_owned() }),
        )
    })
}

/// Decides the carrier for a number: a per-number override first, then the range table.
#[derive(Debug, Clone, Default)]
pub struct Router {
    table: RangeTable,
    overrides: HashMap<Phone, Carrier>,
}

impl Router {
    pub fn new(table: RangeTable, overrides: HashMap<Phone, Carrier>) -> Router {
        Router { table, overrides }
    }

    /// `None` for a number in no known range (the caller decides: fail the SMS or use a default).
    pub fn route(&self, phone: &Phone) -> Option<Carrier> {
        self.overrides.get(phone).copied().or_else(|| self.table.lookup(phone.as_str()))
    }

    pub fn table(&self) -> &RangeTable {
        &self.table
    }

    pub fn overrides(&self) -> &HashMap<Phone, Carrier> {
        &self.overrides
    }
}

/// The number each carrier's SMS go out from. Defaults are the national system's senders of the
/// 2018 pilot; China Broadnet shares China Mobile's network and so its sender, unless configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SenderNumbers {
    pub china_mobile: String,
    pub china_unicom: String,
    pub china_telecom: String,
    /// `None`: China Mobile's sender.
    pub china_broadnet: Option<String>,
}

impl Default for SenderNumbers {
    fn default() -> Self {
        SenderNumbers {
            china_mobile: "106575000130".to_owned(),
            china_unicom: "10655113".to_owned(),
            china_telecom: "106598051001".to_owned(),
            china_broadnet: None,
        }
    }
}

impl SenderNumbers {
    /// The numbers the operator configured (`BEIAN_SENDER_*`).
    pub fn from_settings(sms: &crate::config::SmsSettings) -> SenderNumbers {
        SenderNumbers {
            china_mobile: sms.sender_china_mobile.clone(),
            china_unicom: sms.sender_china_unicom.clone(),
            china_telecom: sms.sender_china_telecom.clone(),
            china_broadnet: sms.sender_china_broadnet.clone(),
        }
    }

    /// The list the help page shows people: China Broadnet only when it has a number of its own.
    pub fn for_people(&self) -> protocol::Senders {
        let mut carriers = vec![Carrier::ChinaTelecom, Carrier::ChinaUnicom, Carrier::ChinaMobile];
        if self.china_broadnet.as_ref().is_some_and(|number| *number != self.china_mobile) {
            carriers.push(Carrier::ChinaBroadnet);
        }
        let senders = carriers
            .into_iter()
            .map(|carrier| protocol::Sender {
                carrier: carrier.chinese_name().to_owned(),
                number: self.sender_for(carrier).to_owned(),
            })
            .collect();
        protocol::Senders { senders }
    }

    pub fn sender_for(&self, carrier: Carrier) -> &str {
        match carrier {
            Carrier::ChinaMobile => &self.china_mobile,
            Carrier::ChinaUnicom => &self.china_unicom,
            Carrier::ChinaTelecom => &self.china_telecom,
            Carrier::ChinaBroadnet => self.china_broadnet.as_deref().unwrap_or(&self.china_mobile),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Carrier::*;

    /// Every range of docs/number-ranges.md, written out independently of the data file.
    const EXPECTED: &[(&str, Carrier, &str)] = &[
        ("134", ChinaMobile, "1340–1348"),
        ("135", ChinaMobile, ""),
        ("136", ChinaMobile, ""),
        ("137", ChinaMobile, ""),
        ("138", ChinaMobile, ""),
        ("139", ChinaMobile, ""),
        ("147", ChinaMobile, "data"),
        ("150", ChinaMobile, ""),
        ("151", ChinaMobile, ""),
        ("152", ChinaMobile, ""),
        ("157", ChinaMobile, ""),
        ("158", ChinaMobile, ""),
        ("159", ChinaMobile, ""),
        ("172", ChinaMobile, ""),
        ("178", ChinaMobile, ""),
        ("182", ChinaMobile, ""),
        ("183", ChinaMobile, ""),
        ("184", ChinaMobile, ""),
        ("187", ChinaMobile, ""),
        ("188", ChinaMobile, ""),
        ("195", ChinaMobile, ""),
        ("197", ChinaMobile, ""),
        ("198", ChinaMobile, ""),
        ("165", ChinaMobile, "MVNO"),
        ("1703", ChinaMobile, "MVNO"),
        ("1705", ChinaMobile, "MVNO"),
        ("1706", ChinaMobile, "MVNO"),
        ("130", ChinaUnicom, ""),
        ("131", ChinaUnicom, ""),
        ("132", ChinaUnicom, ""),
        ("145", ChinaUnicom, "data"),
        ("155", ChinaUnicom, ""),
        ("156", ChinaUnicom, ""),
        ("166", ChinaUnicom, ""),
        ("175", ChinaUnicom, ""),
        ("176", ChinaUnicom, ""),
        ("185", ChinaUnicom, ""),
        ("186", ChinaUnicom, ""),
        ("196", ChinaUnicom, ""),
        ("167", ChinaUnicom, "MVNO"),
        ("171", ChinaUnicom, "MVNO"),
        ("1704", ChinaUnicom, "MVNO"),
        ("1707", ChinaUnicom, "MVNO"),
        ("1708", ChinaUnicom, "MVNO"),
        ("1709", ChinaUnicom, "MVNO"),
        ("133", ChinaTelecom, ""),
        ("1349", ChinaTelecom, "satellite, inside Mobile's 134"),
        ("149", ChinaTelecom, "data"),
        ("153", ChinaTelecom, ""),
        ("173", ChinaTelecom, ""),
        ("17400", ChinaTelecom, ""),
        ("17401", ChinaTelecom, ""),
        ("17402", ChinaTelecom, ""),
        ("17403", ChinaTelecom, ""),
        ("17404", ChinaTelecom, ""),
        ("17405", ChinaTelecom, ""),
        ("177", ChinaTelecom, ""),
        ("180", ChinaTelecom, ""),
        ("181", ChinaTelecom, ""),
        ("189", ChinaTelecom, ""),
        ("190", ChinaTelecom, ""),
        ("191", ChinaTelecom, ""),
        ("193", ChinaTelecom, ""),
        ("199", ChinaTelecom, ""),
        ("162", ChinaTelecom, "MVNO"),
        ("1700", ChinaTelecom, "MVNO"),
        ("1701", ChinaTelecom, "MVNO"),
        ("1702", ChinaTelecom, "MVNO"),
        ("192", ChinaBroadnet, ""),
        ("1610", ChinaBroadnet, "newer data"),
    ];

    /// Numbers inside `prefix`, ending in all 0s, all 5s and all 9s, less those that fall under
    /// a longer listed prefix (13499999999 is in 1349, not 134): that prefix has its own entry.
    fn numbers_in(prefix: &str) -> Vec<Phone> {
        let rest = 11 - prefix.len();
        ["0", "5", "9"]
            .iter()
            .map(|digit| format!("{prefix}{}", digit.repeat(rest)))
            .filter(|number| {
                !EXPECTED.iter().any(|(other, _, _)| other.len() > prefix.len() && number.starts_with(other))
            })
            .map(|number| Phone::parse(&number).unwrap())
            .collect()
    }

    #[test]
    fn every_documented_range_routes_to_its_carrier() {
        let router = Router::default();
        for (prefix, carrier, why) in EXPECTED {
            let numbers = numbers_in(prefix);
            assert!(numbers.len() >= 2, "{prefix}");
            for phone in numbers {
                assert_eq!(router.route(&phone), Some(*carrier), "{phone} ({prefix} {why})");
            }
        }
    }

    #[test]
    fn only_1349_of_134_is_telecom() {
        let router = Router::default();
        for digit in 0..=9 {
            let phone = Phone::parse(&format!("134{digit}1234567")).unwrap();
            let expected = if digit == 9 { ChinaTelecom } else { ChinaMobile };
            assert_eq!(router.route(&phone), Some(expected), "134{digit}");
        }
    }

    #[test]
    fn the_shipped_table_lists_exactly_the_documented_ranges() {
        let table = RangeTable::default();
        let mut listed: Vec<_> = table.entries().map(|(p, c)| (p.to_owned(), c)).collect();
        let mut expected: Vec<_> = EXPECTED.iter().map(|(p, c, _)| (p.to_string(), *c)).collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected);
    }

    #[test]
    fn all_of_170_is_split_between_the_three_hosts() {
        let router = Router::default();
        let hosts = [
            ChinaTelecom,
            ChinaTelecom,
            ChinaTelecom,
            ChinaMobile,
            ChinaUnicom,
            ChinaMobile,
            ChinaMobile,
            ChinaUnicom,
            ChinaUnicom,
            ChinaUnicom,
        ];
        for (digit, host) in hosts.into_iter().enumerate() {
            let phone = Phone::parse(&format!("170{digit}1234567")).unwrap();
            assert_eq!(router.route(&phone), Some(host), "170{digit}");
        }
    }

    #[test]
    fn numbers_in_no_public_range_are_unroutable() {
        let router = Router::default();
        for number in [
            "14012345678",
            "14612345678",
            "14812345678",
            "15412345678",
            "16012345678",
            "16112345678",
            "16312345678",
            "16812345678",
            "16912345678",
            "17406123456",
            "17412345678",
            "17912345678",
            "19412345678",
        ] {
            assert_eq!(router.route(&Phone::parse(number).unwrap()), None, "{number}");
        }
    }

    #[test]
    fn an_override_beats_the_range_table_and_only_for_that_number() {
        let ported = Phone::parse("13800138000").unwrap();
        let neighbour = Phone::parse("13800138001").unwrap();
        let router = Router::new(RangeTable::default(), HashMap::from([(ported.clone(), ChinaTelecom)]));
        assert_eq!(router.route(&ported), Some(ChinaTelecom));
        assert_eq!(router.route(&neighbour), Some(ChinaMobile));
    }

    #[test]
    fn an_override_routes_a_number_in_no_range() {
        let phone = Phone::parse("14012345678").unwrap();
        let router = Router::new(RangeTable::default(), HashMap::from([(phone.clone(), ChinaUnicom)]));
        assert_eq!(router.route(&phone), Some(ChinaUnicom));
    }

    #[test]
    fn override_files_parse_numbers_like_user_input() {
        let overrides =
            parse_overrides("# ported numbers\n13800138000\tchina_telecom\n+86 139 0000 0000 china_unicom # note\n");
        // "+86 139 0000 0000" is split by whitespace, so it is refused: one token per number.
        assert!(matches!(overrides, Err(RangeTableError::ExtraField { line: 3, .. })));
        let overrides = parse_overrides("13800138000\tchina_telecom\n+8613900000000 china_unicom\n").unwrap();
        assert_eq!(overrides.len(), 2);
        assert_eq!(overrides[&Phone::parse("13900000000").unwrap()], ChinaUnicom);
    }

    #[test]
    fn an_operator_table_is_used_as_given() {
        let table = RangeTable::parse("# mine\n13\tchina_unicom\n1380 china_telecom\n").unwrap();
        let router = Router::new(table, HashMap::new());
        assert_eq!(router.route(&Phone::parse("13012345678").unwrap()), Some(ChinaUnicom));
        assert_eq!(router.route(&Phone::parse("13801234567").unwrap()), Some(ChinaTelecom));
        assert_eq!(router.route(&Phone::parse("15012345678").unwrap()), None);
    }

    #[test]
    fn bad_tables_are_refused_with_the_line_at_fault() {
        let cases: &[(&str, RangeTableError)] = &[
            ("", RangeTableError::Empty),
            ("# only comments\n\n", RangeTableError::Empty),
            ("138\n", RangeTableError::MissingCarrier { line: 1 }),
            ("138 china_mobile x\n", RangeTableError::ExtraField { line: 1, extra: "x".into() }),
            ("\n13a china_mobile\n", RangeTableError::BadPrefix { line: 2, prefix: "13a".into() }),
            ("238 china_mobile\n", RangeTableError::BadPrefix { line: 1, prefix: "238".into() }),
            ("13800138000 china_mobile\n", RangeTableError::BadPrefix { line: 1, prefix: "13800138000".into() }),
            ("138 mobile\n", RangeTableError::UnknownCarrier { line: 1, name: "mobile".into() }),
            (
                "138 china_mobile\n138 china_unicom\n",
                RangeTableError::Duplicate { line: 2, key: "138".into(), first_line: 1 },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(RangeTable::parse(text).as_ref(), Err(expected), "{text:?}");
            assert!(!expected.to_string().is_empty());
        }
    }

    #[test]
    fn override_errors_never_show_the_whole_number() {
        let errors = [
            parse_overrides("1380013800 china_mobile").unwrap_err(),
            parse_overrides("13800138000 china_mobile\n13800138000 china_unicom").unwrap_err(),
            parse_overrides("13800138000").unwrap_err(),
        ];
        for error in errors {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("1380013800"), "{shown}");
        }
    }

    #[test]
    fn bad_override_files_are_refused() {
        assert!(matches!(parse_overrides("1380013800 china_mobile"), Err(RangeTableError::BadNumber { line: 1, .. })));
        assert!(matches!(
            parse_overrides("13800138000 china_mobile\n+8613800138000 china_unicom"),
            Err(RangeTableError::Duplicate { line: 2, first_line: 1, .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_table_text_is_read_or_refused_and_any_number_looked_up_never_a_panic(
            text in proptest::prop_oneof![
                proptest::prelude::any::<String>(),
                "([+1０-９é中][0-9é中😀]{0,12}[ \t]+(china_mobile|china_unicom|china_telecom|x)( #.*)?\n){0,5}",
            ],
            number in proptest::prop_oneof![proptest::prelude::any::<String>(), "1[0-9é中😀]{0,12}"],
        ) {
            let _ = parse_overrides(&text);
            if let Ok(table) = RangeTable::parse(&text) {
                let _ = table.lookup(&number);
            }
            let _ = RangeTable::default().lookup(&number);
        }
    }

    #[test]
    fn senders_default_to_the_pilot_numbers_and_broadnet_goes_through_mobile() {
        let senders = SenderNumbers::default();
        assert_eq!(senders.sender_for(ChinaTelecom), "106598051001");
        assert_eq!(senders.sender_for(ChinaUnicom), "10655113");
        assert_eq!(senders.sender_for(ChinaMobile), "106575000130");
        assert_eq!(senders.sender_for(ChinaBroadnet), "106575000130");
        let configured = SenderNumbers { china_broadnet: Some("10690000".into()), ..SenderNumbers::default() };
        assert_eq!(configured.sender_for(ChinaBroadnet), "10690000");
    }
}
