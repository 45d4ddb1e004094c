//! The bilingual synonym table (`data/synonyms.txt`): one group per line, entries separated by
//! commas, `#` starts a comment. An entry may have several words (`recovery phrase`) and may be
//! Chinese (`助记词`) or English.

use unicode_normalization::UnicodeNormalization;

use crate::analysis::is_han;

/// The table shipped with the crate.
pub(crate) const SYNONYMS: &str = include_str!("../data/synonyms.txt");

/// Parsed synonym groups, entries normalised (NFKC, lower case, single spaces).
#[derive(Debug, Clone)]
pub(crate) struct Synonyms {
    pub(crate) groups: Vec<Vec<String>>,
}

/// Normalises text the way queries are normalised: NFKC (full-width letters and digits become
/// ASCII), lower case.
pub(crate) fn normalize(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

impl Synonyms {
    /// The table shipped with the crate.
    pub(crate) fn builtin() -> Result<Synonyms, String> {
        Synonyms::parse(SYNONYMS)
    }

    pub(crate) fn parse(text: &str) -> Result<Synonyms, String> {
        let mut groups = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let group: Vec<String> = line
                .split([',', '，'])
                .map(|e| {
                    normalize(e)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|e| !e.is_empty())
                .collect();
            if group.len() < 2 {
                return Err(format!(
                    "synonyms line {}: a group needs two entries",
                    n + 1
                ));
            }
            groups.push(group);
        }
        Ok(Synonyms { groups })
    }

    /// Every entry that contains Chinese, for the segmentation dictionary.
    pub(crate) fn han_entries(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|e| e.chars().any(is_han) && e.chars().all(is_han))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let s = Synonyms::builtin().expect("table");
        assert!(s.groups.len() > 20);
        assert!(
            s.groups
                .iter()
                .any(|g| g.contains(&"助记词".to_owned())
                    && g.contains(&"recovery phrase".to_owned()))
        );
        assert!(s.han_entries().any(|e| e == "矿工费"));
    }

    #[test]
    fn groups_need_two_entries() {
        assert!(Synonyms::parse("alone\n").is_err());
        let s = Synonyms::parse("# c\nA,  Ｂ  c ,d\n").expect("parse");
        assert_eq!(s.groups, vec![vec!["a", "b c", "d"]]);
    }
}
