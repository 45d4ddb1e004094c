//! A multinomial naive-Bayes topic model trained on the help articles only (titles, summaries
//! and keywords weighted above the body), with Laplace smoothing.

use std::collections::HashMap;

use crate::content::ArticleRef;
use crate::{Topic, text};

#[derive(Debug)]
pub struct NaiveBayes {
    /// term → log P(term | topic) per topic.
    log_likelihood: HashMap<String, [f32; Topic::COUNT]>,
    /// log P(unseen term | topic).
    unseen: [f32; Topic::COUNT],
}

/// How many times each field counts: the short fields say what the article is about.
const TITLE_WEIGHT: f32 = 3.0;
const SUMMARY_WEIGHT: f32 = 2.0;
const KEYWORD_WEIGHT: f32 = 3.0;
const BODY_WEIGHT: f32 = 1.0;
const ALPHA: f32 = 0.5;

impl NaiveBayes {
    #[must_use]
    pub fn train<'a>(articles: impl IntoIterator<Item = &'a ArticleRef>) -> NaiveBayes {
        let mut counts: HashMap<String, [f32; Topic::COUNT]> = HashMap::new();
        let mut totals = [0.0f32; Topic::COUNT];
        for a in articles {
            let fields = [
                (a.title.clone(), TITLE_WEIGHT),
                (a.summary.clone(), SUMMARY_WEIGHT),
                (a.keywords.join(", "), KEYWORD_WEIGHT),
                (a.body_text(), BODY_WEIGHT),
            ];
            // An article answering two topics gives each half its weight.
            let share = 1.0 / a.topics.len().max(1) as f32;
            for (field, w) in &fields {
                for term in text::terms(field) {
                    let c = counts.entry(term).or_insert([0.0; Topic::COUNT]);
                    for t in &a.topics {
                        c[t.index()] += w * share;
                        totals[t.index()] += w * share;
                    }
                }
            }
        }
        let vocab = counts.len() as f32;
        let denom: [f32; Topic::COUNT] = std::array::from_fn(|i| (totals[i] + ALPHA * vocab).ln());
        let unseen = std::array::from_fn(|i| ALPHA.ln() - denom[i]);
        let log_likelihood = counts
            .into_iter()
            .map(|(term, c)| {
                let ll = std::array::from_fn(|i| (c[i] + ALPHA).ln() - denom[i]);
                (term, ll)
            })
            .collect();
        NaiveBayes {
            log_likelihood,
            unseen,
        }
    }

    /// A probability per topic (uniform prior). Log-likelihoods are divided by the square root
    /// of the number of known terms: naive Bayes is wildly over-confident on long texts, and
    /// this keeps its output usable as one vote among three. Unknown terms are skipped.
    #[must_use]
    pub fn posterior(&self, terms: &[String]) -> [f32; Topic::COUNT] {
        let mut ll = [0.0f32; Topic::COUNT];
        let mut known = 0usize;
        for term in terms {
            if let Some(l) = self.log_likelihood.get(term) {
                known += 1;
                for i in 0..Topic::COUNT {
                    ll[i] += l[i] - self.unseen[i];
                }
            }
        }
        if known == 0 {
            return [1.0 / Topic::COUNT as f32; Topic::COUNT];
        }
        let scale = (known as f32).sqrt();
        let max = ll.iter().copied().fold(f32::MIN, f32::max);
        let mut p: [f32; Topic::COUNT] = std::array::from_fn(|i| ((ll[i] - max) / scale).exp());
        let sum: f32 = p.iter().sum();
        for x in &mut p {
            *x /= sum;
        }
        p
    }
}
