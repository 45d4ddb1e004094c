//! A multinomial naive-Bayes topic model trained on the help articles (titles, summaries and
//! keywords weighted above the body) and on labelled real questions ([`crate::labelled`]),
//! with Laplace smoothing.

use std::collections::HashMap;

use crate::content::ArticleRef;
use crate::labelled::Example;
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
/// The labelled questions' share of the evidence, as a multiple of the articles' (see
/// [`NaiveBayes::train_with`]), and a question's second topic's share of its weight.
const EXAMPLE_MASS: f32 = 1.0;
const ALT_SHARE: f32 = 0.5;

/// Weighted term counts per topic.
#[derive(Default)]
struct Counts {
    counts: HashMap<String, [f32; Topic::COUNT]>,
    totals: [f32; Topic::COUNT],
}

impl Counts {
    fn add(&mut self, terms: Vec<String>, topics: &[(Topic, f32)]) {
        for term in terms {
            let c = self.counts.entry(term).or_insert([0.0; Topic::COUNT]);
            for &(t, w) in topics {
                c[t.index()] += w;
                self.totals[t.index()] += w;
            }
        }
    }
}

impl NaiveBayes {
    /// A model of the articles alone.
    #[must_use]
    pub fn train<'a>(articles: impl IntoIterator<Item = &'a ArticleRef>) -> NaiveBayes {
        NaiveBayes::train_with(articles, &[])
    }

    /// A model of the articles and of labelled questions, each read as the classifier reads a
    /// question ([`crate::question_terms`]).
    #[must_use]
    pub fn train_with<'a>(
        articles: impl IntoIterator<Item = &'a ArticleRef>,
        examples: &[Example],
    ) -> NaiveBayes {
        let mut from_articles = Counts::default();
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
                let topics: Vec<(Topic, f32)> = a.topics.iter().map(|&t| (t, w * share)).collect();
                from_articles.add(text::terms(field), &topics);
            }
        }
        let mut from_examples = Counts::default();
        for e in examples {
            let mut topics = vec![(e.topic, 1.0)];
            if let Some(alt) = e.alt.filter(|&t| t != e.topic) {
                topics.push((alt, ALT_SHARE));
            }
            from_examples.add(crate::question_terms(&e.text).1, &topics);
        }
        // The questions are a few short posts beside long articles: counted as they are, they
        // would be a few per cent of the evidence. They weigh EXAMPLE_MASS times the articles.
        let article_mass: f32 = from_articles.totals.iter().sum();
        let example_mass: f32 = from_examples.totals.iter().sum();
        let scale = if example_mass > 0.0 {
            EXAMPLE_MASS * article_mass.max(1.0) / example_mass
        } else {
            0.0
        };
        let Counts {
            mut counts,
            mut totals,
        } = from_articles;
        for (term, c) in from_examples.counts {
            let into = counts.entry(term).or_insert([0.0; Topic::COUNT]);
            for (x, n) in into.iter_mut().zip(c) {
                *x += n * scale;
            }
        }
        for (x, n) in totals.iter_mut().zip(from_examples.totals) {
            *x += n * scale;
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
