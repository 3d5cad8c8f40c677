//! Names as Chinese services show them to someone who has not yet proved who they are: the
//! surname kept, every other character a `*` (张三 → 张*, 欧阳娜娜 → 欧阳**).

/// Two-character surnames (复姓) still in use; a name starting with one keeps both characters.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "申屠", "澹台", "公冶", "太史", "闻人", "赫连",
    "钟离", "宗政", "濮阳", "淳于", "单于", "太叔", "仲孙", "拓跋", "司空", "鲜于", "闾丘", "子车", "亓官", "司寇",
    "巫马", "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "谷梁", "段干", "东郭", "南门", "羊舌", "微生",
    "梁丘", "左丘", "东门", "第五",
];

/// The masked form of `name`. A one-character name is all mask: there is no surname to keep
/// apart from the person.
pub fn mask_name(name: &str) -> String {
    let length = name.chars().count();
    let compound = COMPOUND_SURNAMES.iter().any(|surname| surname.chars().count() == 2 && name.starts_with(surname));
    let kept = match length {
        0 | 1 => 0,
        2 => 1,
        _ if compound => 2,
        _ => 1,
    };
    name.chars().take(kept).chain(std::iter::repeat_n('*', length - kept)).collect()
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn the_surname_stays_and_each_other_character_is_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("欧阳娜娜"), "欧阳**");
        assert_eq!(mask_name("司马相如"), "司马**");
        assert_eq!(mask_name("买买提·艾力"), "买*****");
    }

    #[test]
    fn a_two_character_name_keeps_one_even_if_it_looks_compound() {
        // 欧阳 alone is more likely 欧 + 阳 than a surname with no given name.
        assert_eq!(mask_name("欧阳"), "欧*");
    }

    #[test]
    fn nothing_of_a_very_short_name_is_shown() {
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn the_masked_name_never_contains_what_was_hidden() {
        for name in ["张三丰", "欧阳修", "Li Lei", "诸葛亮"] {
            let masked = mask_name(name);
            assert_eq!(masked.chars().count(), name.chars().count());
            assert!(masked.ends_with('*'));
            assert_ne!(masked, name);
        }
    }
}
