//! The query of `GET /api/v1/filings`, parsed once into a [`FilingPage`]: every refused parameter
//! is named (`/limit`), nothing is clamped or dropped in silence. Also the page cursor: opaque to
//! providers, it is the URL-safe base64 of the last filing's sort key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use protocol::{FilingState, InvalidField, ProvinceCode};

use strum::VariantNames;

use crate::domain::FilingId;
use crate::store::{FilingKey, FilingPage};

/// Filings on a page when the query names no `limit`.
pub const DEFAULT_LIMIT: u32 = 100;
/// The most filings one page holds.
pub const MAX_LIMIT: u32 = 500;

const PARAMETERS: [&str; 4] = ["state", "province", "limit", "cursor"];

/// The query as the OpenAPI document describes it (`parse` reads the query itself, to name every
/// refused parameter); a test holds the two to the same names.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// Only filings in this state; another value is a 422 naming `/state`.
    state: Option<FilingState>,
    /// Only filings of this province; anything else is a 422 naming `/province`.
    province: Option<ProvinceCode>,
    /// Filings a page: 1 to 500, default 100. Outside that range, or not a whole number, is a 422
    /// naming `/limit`; it is never clamped.
    #[param(minimum = 1, maximum = 500, default = 100)]
    limit: Option<u32>,
    /// The `next` of the previous page, as it was given (with the same filters). Anything else is
    /// a 422 naming `/cursor`.
    #[param(min_length = 1)]
    cursor: Option<String>,
}

/// Every parameter parsed, or every refused one with why (by its pointer, `/<name>`). The whole
/// query (`""`) is named for a parameter we do not take: its name is not repeated back.
pub fn parse(raw_query: Option<&str>) -> Result<FilingPage, Vec<InvalidField>> {
    let mut page = FilingPage { state: None, province: None, limit: DEFAULT_LIMIT, after: None };
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for (name, value) in url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()) {
        let Some(name) = PARAMETERS.iter().copied().find(|known| *known == name) else {
            errors.push(InvalidField::new("", "只接受 state、province、limit 和 cursor 参数。"));
            continue;
        };
        let field = format!("/{name}");
        if seen.contains(&name) {
            errors.push(InvalidField::new(field, "每个参数只能出现一次。"));
            continue;
        }
        seen.push(name);
        let parsed = match name {
            "state" => value
                .parse::<FilingState>()
                .map(|state| page.state = Some(state))
                .map_err(|_| format!("state 应为 {}。", one_of(FilingState::VARIANTS))),
            "province" => {
                ProvinceCode::parse(&value).map(|code| page.province = Some(code)).map_err(|e| e.message().to_owned())
            }
            "limit" => parse_limit(&value).map(|limit| page.limit = limit),
            _ => parse_cursor(&value).map(|after| page.after = Some(after)),
        };
        if let Err(message) = parsed {
            errors.push(InvalidField::new(field, message));
        }
    }
    match errors.is_empty() {
        true => Ok(page),
        false => Err(errors),
    }
}

/// `pending、completed 或 returned`.
fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} 或 {last}", rest.join("、")),
        None => String::new(),
    }
}

fn parse_limit(value: &str) -> Result<u32, String> {
    value
        .parse::<u32>()
        .ok()
        .filter(|limit| (1..=MAX_LIMIT).contains(limit))
        .ok_or_else(|| format!("limit 应为 1 到 {MAX_LIMIT} 之间的整数（默认 {DEFAULT_LIMIT}）。"))
}

/// The `next` a page answers with, for the request of the page after it.
pub fn cursor(key: &FilingKey) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}.{}", key.created_at, key.id))
}

fn parse_cursor(value: &str) -> Result<FilingKey, String> {
    let refused = || "cursor 无效：请原样使用上一页答复中的 next。".to_owned();
    let decoded = URL_SAFE_NO_PAD.decode(value).map_err(|_| refused())?;
    let text = String::from_utf8(decoded).map_err(|_| refused())?;
    let (created_at, id) = text.split_once('.').ok_or_else(refused)?;
    let created_at = created_at.parse::<i64>().map_err(|_| refused())?;
    let id_is_ours = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    match id_is_ours {
        true => Ok(FilingKey { created_at, id: FilingId::new(id) }),
        false => Err(refused()),
    }
}

#[cfg(test)]
mod tests {
    use protocol::FilingState;

    use super::*;

    fn fields(query: &str) -> Vec<String> {
        parse(Some(query)).unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_documented_parameters_are_the_ones_parsed() {
        use utoipa::IntoParams;
        let documented: Vec<String> = ListQuery::into_params(|| None).into_iter().map(|p| p.name).collect();
        assert_eq!(documented, PARAMETERS);
        let limit = serde_json::to_value(ListQuery::into_params(|| None).remove(2)).unwrap();
        assert_eq!((limit["schema"]["minimum"].as_u64(), limit["schema"]["maximum"].as_u64()), (Some(1), Some(500)));
        assert_eq!(limit["schema"]["default"].as_u64(), Some(u64::from(DEFAULT_LIMIT)));
        assert_eq!(MAX_LIMIT, 500);
    }

    #[test]
    fn no_query_is_the_first_page_of_everything_at_the_default_limit() {
        assert_eq!(parse(None), Ok(FilingPage { state: None, province: None, limit: DEFAULT_LIMIT, after: None }));
    }

    #[test]
    fn every_parameter_parses_into_its_typed_value() {
        let key = FilingKey { created_at: 1_795_000_000_123, id: FilingId::new("fil_0a1b") };
        let query = format!("state=completed&province=330000&limit=500&cursor={}", cursor(&key));
        let page = parse(Some(&query)).unwrap();
        assert_eq!(page.state, Some(FilingState::Completed));
        assert_eq!(page.province, ProvinceCode::parse("330000").ok());
        assert_eq!((page.limit, page.after), (500, Some(key)));
    }

    #[test]
    fn a_limit_outside_one_to_five_hundred_is_refused_not_clamped() {
        for limit in ["0", "501", "-1", "abc", "", "1.5", "99999999999"] {
            assert_eq!(fields(&format!("limit={limit}")), ["/limit"], "{limit}");
        }
        assert_eq!(parse(Some("limit=1")).unwrap().limit, 1);
    }

    #[test]
    fn a_cursor_we_did_not_make_is_refused() {
        let not_ours = [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("no-dot"),
            &URL_SAFE_NO_PAD.encode("soon.fil_1"),
            &URL_SAFE_NO_PAD.encode("1795000000000."),
            &URL_SAFE_NO_PAD.encode("1795000000000.fil'--"),
            &URL_SAFE_NO_PAD.encode([0xff, 0xfe]),
        ];
        for value in not_ours {
            assert_eq!(fields(&format!("cursor={value}")), ["/cursor"], "{value:?}");
        }
    }

    #[test]
    fn each_refused_parameter_is_named_and_an_unknown_one_names_the_query() {
        assert_eq!(fields("state=sideways&province=浙江&limit=0"), ["/state", "/province", "/limit"]);
        let refused = parse(Some("state=complete")).unwrap_err();
        assert_eq!(refused[0].message, "state 应为 pending、completed 或 returned。");
        assert_eq!(fields("limit=5&limit=6"), ["/limit"]);
        assert_eq!(fields("page=2"), [""]);
    }

    proptest::proptest! {
        #[test]
        fn any_query_is_parsed_or_refused_never_a_panic(query in proptest::prelude::any::<String>()) {
            let _ = parse(Some(&query));
            let _ = parse_cursor(&query);
        }
    }
}
