//! Where in a JSON body it stopped being the JSON an endpoint takes (a missing field, a wrong
//! type, a field we do not take), as the JSON pointer a problem's `errors[].field` carries. The
//! message names no value of the body: only our own field names.

use protocol::InvalidField;
use serde_path_to_error::Segment;

/// The refused place and why, from the error serde gave while reading the body.
pub fn invalid_field(error: &serde_path_to_error::Error<serde_json::Error>) -> InvalidField {
    let segments: Vec<&Segment> = error.path().iter().collect();
    let reason = error.inner().to_string();
    // serde's own wording (`missing field `x``, `unknown field `x``) says which case it is; the
    // missing name is one of ours, an unknown name is the client's and is not repeated: the
    // object that holds it is named instead.
    if let Some(missing) = backticked_after(&reason, "missing field `") {
        return InvalidField::new(format!("{}/{}", pointer(&segments), escape(missing)), "缺少必填字段。");
    }
    if reason.starts_with("unknown field `") {
        let holder = segments.split_last().map_or(&[][..], |(_, holder)| holder);
        return InvalidField::new(pointer(holder), "包含不接受的字段。");
    }
    InvalidField::new(pointer(&segments), "类型或取值不正确。")
}

/// RFC 6901: `/websites/0/principal`; the whole body is `""`.
fn pointer(segments: &[&Segment]) -> String {
    let mut pointer = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape(key))),
            // An enum's variant is not a place in the JSON text, and past an unknown step the
            // rest of the path means nothing: name what is known.
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    pointer
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn backticked_after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.strip_prefix(prefix)?.split('`').next()
}

#[cfg(test)]
mod tests {
    use protocol::NewFiling;

    use super::*;

    fn refused(body: &str) -> InvalidField {
        let mut json = serde_json::Deserializer::from_str(body);
        let error = serde_path_to_error::deserialize::<_, NewFiling>(&mut json).expect_err("the body is refused");
        invalid_field(&error)
    }

    fn filing_with_principal(principal: &str) -> String {
        format!(
            r#"{{"business_type":"new_filing","province":"330000","subject":{{"name":"甲","principal":{{"name":"张三","mobile":"13800138000","id_type":"resident_id","id_number":"11010519491231002X"}}}},"websites":[{{"name":"网","domains":["a.cn"],"principal":{principal}}}]}}"#
        )
    }

    #[test]
    fn a_missing_field_is_named_by_its_own_pointer() {
        let refused = refused(&filing_with_principal(r#"{"name":"李四","id_type":"resident_id","id_number":"x"}"#));
        assert_eq!(refused.field, "/websites/0/principal/mobile");
    }

    #[test]
    fn a_wrong_type_is_named_without_repeating_the_value() {
        let refused = refused(&filing_with_principal(
            r#"{"name":"李四","mobile":18912345678,"id_type":"resident_id","id_number":"x"}"#,
        ));
        assert_eq!(refused.field, "/websites/0/principal/mobile");
        assert!(!refused.message.contains("18912345678"), "{refused:?}");
    }

    #[test]
    fn an_unknown_field_names_the_object_that_holds_it_not_the_clients_name() {
        let refused = refused(&filing_with_principal(
            r#"{"name":"李四","mobile":"1","id_type":"resident_id","id_number":"x","secret/~x":1}"#,
        ));
        assert_eq!(refused.field, "/websites/0/principal");
    }

    #[test]
    fn keys_are_escaped_as_rfc_6901_says() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
