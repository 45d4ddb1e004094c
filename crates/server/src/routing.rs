//! Which agent takes which waiting chat: pure code, no I/O, no clock (callers pass the facts).
//!
//! The rule, in order:
//! 1. Only agents who are **online** take chats; away and offline agents never do.
//! 2. Never over an agent's **limit** of concurrent chats (a limit of 0 takes none).
//! 3. **Language first**: a chat goes to an agent who answers its language. Only when no online
//!    agent answers that language at all (full or not) may an agent without it take the chat —
//!    a Chinese chat waits for a Chinese-speaking agent to have room rather than going to one
//!    who cannot read it. An agent who lists no language answers every language.
//! 4. **Least busy**: the fewest chats now (counting what this round already gave them).
//! 5. **Round-robin among equals**: of the least busy, the one assigned longest ago (never
//!    assigned counts as longest ago), then the lowest id so the answer is deterministic.
//!
//! 6. An agent who **declined** a chat, or let its offer expire, is not offered it again
//!    (`WaitingChat::excluded`); for rule 3 they count as not answering it.
//!
//! Chats are served oldest first (waiting since, then ticket id). A chat nobody may take now
//! is left waiting; the next round (a new chat, an agent coming online or finishing one) tries
//! again.

use domain::{AgentId, Lang, TicketId, Timestamp};

/// An agent's presence on the desk (`crate::desk_presence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentState {
    /// A workspace tab is open and in use.
    Online,
    /// A tab is open but idle, or the agent said so.
    Away,
    /// No workspace tab is open.
    Offline,
}

impl AgentState {
    pub const ALL: [AgentState; 3] = [AgentState::Online, AgentState::Away, AgentState::Offline];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Online => "online",
            AgentState::Away => "away",
            AgentState::Offline => "offline",
        }
    }
}

/// A chat waiting for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingChat {
    pub ticket: TicketId,
    pub lang: Lang,
    pub waiting_since: Timestamp,
    /// Agents who declined it or let its offer expire.
    pub excluded: Vec<AgentId>,
}

/// What routing needs to know about one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSlot {
    pub agent: AgentId,
    pub state: AgentState,
    /// The languages the agent answers; empty answers every language.
    pub languages: Vec<Lang>,
    /// Chats the agent has now.
    pub load: u32,
    /// Concurrent chats the agent may have.
    pub limit: u32,
    pub last_assigned: Option<Timestamp>,
}

impl AgentSlot {
    fn answers(&self, lang: Lang) -> bool {
        self.languages.is_empty() || self.languages.contains(&lang)
    }
}

/// One decision: `ticket` goes to `agent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub ticket: TicketId,
    pub agent: AgentId,
}

/// Assigns as many waiting chats as the rule allows (see the module doc).
#[must_use]
pub fn route(waiting: &[WaitingChat], agents: &[AgentSlot]) -> Vec<Assignment> {
    let mut chats: Vec<&WaitingChat> = waiting.iter().collect();
    chats.sort_by_key(|c| (c.waiting_since, c.ticket));
    // Per agent: load so far, and the round-robin key. Assignments made in this round come
    // after every earlier one, in the order made: (1, n) sorts after (0, time).
    let mut load: Vec<u32> = agents.iter().map(|a| a.load).collect();
    let mut recency: Vec<(u8, i64)> = agents
        .iter()
        .map(|a| (0, a.last_assigned.map_or(i64::MIN, |t| t.0)))
        .collect();
    let mut seq = 0_i64;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for chat in chats {
        if !seen.insert(chat.ticket) {
            continue; // the same chat listed twice is routed once
        }
        let may =
            |a: &AgentSlot| a.state == AgentState::Online && !chat.excluded.contains(&a.agent);
        let someone_speaks = agents
            .iter()
            .filter(|a| may(a))
            .any(|a| a.answers(chat.lang));
        let best = agents
            .iter()
            .enumerate()
            .filter(|(_, a)| may(a))
            .filter(|(i, a)| load[*i] < a.limit)
            .filter(|(_, a)| !someone_speaks || a.answers(chat.lang))
            .min_by_key(|(i, a)| (load[*i], recency[*i], a.agent));
        if let Some((i, a)) = best {
            load[i] += 1;
            recency[i] = (1, seq);
            seq += 1;
            out.push(Assignment {
                ticket: chat.ticket,
                agent: a.agent,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agent(id: i64, state: AgentState, langs: &[Lang], load: u32, limit: u32) -> AgentSlot {
        AgentSlot {
            agent: AgentId(id),
            state,
            languages: langs.to_vec(),
            load,
            limit,
            last_assigned: None,
        }
    }

    fn chat(id: i64, lang: Lang, since: i64) -> WaitingChat {
        WaitingChat {
            ticket: TicketId(id),
            lang,
            waiting_since: Timestamp(since),
            excluded: Vec::new(),
        }
    }

    fn pairs(v: &[Assignment]) -> Vec<(i64, i64)> {
        v.iter().map(|a| (a.ticket.0, a.agent.0)).collect()
    }

    use AgentState::{Away, Offline, Online};
    use Lang::{En, ZhCn};

    #[test]
    fn language_match_wins_over_a_less_busy_agent() {
        let agents = [
            agent(1, Online, &[En], 0, 3),
            agent(2, Online, &[ZhCn], 2, 3),
        ];
        assert_eq!(pairs(&route(&[chat(10, ZhCn, 0)], &agents)), [(10, 2)]);
    }

    #[test]
    fn a_chat_waits_for_a_speaker_with_room_rather_than_going_to_one_who_cannot_read_it() {
        let agents = [
            agent(1, Online, &[En], 0, 3),
            agent(2, Online, &[ZhCn], 3, 3),
        ];
        assert!(route(&[chat(10, ZhCn, 0)], &agents).is_empty());
        // Nobody online speaks it: then anyone with room answers.
        let agents = [agent(1, Online, &[En], 0, 3), agent(2, Away, &[ZhCn], 0, 3)];
        assert_eq!(pairs(&route(&[chat(10, ZhCn, 0)], &agents)), [(10, 1)]);
    }

    #[test]
    fn the_least_busy_agent_gets_the_chat() {
        let agents = [
            agent(1, Online, &[], 2, 5),
            agent(2, Online, &[], 1, 5),
            agent(3, Online, &[], 3, 5),
        ];
        assert_eq!(pairs(&route(&[chat(10, En, 0)], &agents)), [(10, 2)]);
    }

    #[test]
    fn equals_take_turns_starting_with_who_waited_longest_for_a_chat() {
        let mut agents = vec![
            agent(1, Online, &[], 0, 5),
            agent(2, Online, &[], 0, 5),
            agent(3, Online, &[], 0, 5),
        ];
        agents[0].last_assigned = Some(Timestamp(300));
        agents[1].last_assigned = Some(Timestamp(100));
        agents[2].last_assigned = Some(Timestamp(200));
        let chats: Vec<_> = (0..6).map(|i| chat(10 + i, En, i)).collect();
        assert_eq!(
            pairs(&route(&chats, &agents)),
            [(10, 2), (11, 3), (12, 1), (13, 2), (14, 3), (15, 1)]
        );
    }

    #[test]
    fn away_offline_and_full_agents_get_nothing() {
        let agents = [
            agent(1, Away, &[], 0, 5),
            agent(2, Offline, &[], 0, 5),
            agent(3, Online, &[], 1, 1),
            agent(4, Online, &[], 0, 0),
        ];
        assert!(route(&[chat(10, En, 0), chat(11, ZhCn, 1)], &agents).is_empty());
    }

    #[test]
    fn the_oldest_chat_is_served_first() {
        let agents = [agent(1, Online, &[], 0, 1)];
        let got = route(
            &[chat(10, En, 50), chat(11, En, 20), chat(12, En, 30)],
            &agents,
        );
        assert_eq!(pairs(&got), [(11, 1)]);
    }

    #[test]
    fn an_agent_who_declined_is_not_offered_the_chat_again() {
        let agents = [
            agent(1, Online, &[ZhCn], 0, 3),
            agent(2, Online, &[En], 2, 3),
        ];
        let mut c = chat(10, ZhCn, 0);
        assert_eq!(pairs(&route(std::slice::from_ref(&c), &agents)), [(10, 1)]);
        // The only Chinese speaker declined: the chat goes to whoever else has room.
        c.excluded = vec![AgentId(1)];
        assert_eq!(pairs(&route(std::slice::from_ref(&c), &agents)), [(10, 2)]);
        c.excluded = vec![AgentId(1), AgentId(2)];
        assert!(route(&[c], &agents).is_empty());
    }

    #[test]
    fn a_chat_listed_twice_is_assigned_once() {
        let agents = [agent(1, Online, &[], 0, 5), agent(2, Online, &[], 0, 5)];
        let got = route(&[chat(10, En, 0), chat(10, En, 0)], &agents);
        assert_eq!(got.len(), 1);
    }

    fn arb_lang() -> impl Strategy<Value = Lang> {
        prop_oneof![Just(En), Just(ZhCn)]
    }

    fn arb_agents() -> impl Strategy<Value = Vec<AgentSlot>> {
        prop::collection::vec(
            (
                prop_oneof![Just(Online), Just(Away), Just(Offline)],
                prop::collection::vec(arb_lang(), 0..3),
                0u32..4,
                0u32..5,
                prop::option::of(0i64..1000),
            ),
            0..7,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (state, mut languages, load, limit, last))| {
                    languages.dedup();
                    AgentSlot {
                        agent: AgentId(i64::try_from(i).unwrap() + 1),
                        state,
                        languages,
                        load,
                        limit,
                        last_assigned: last.map(Timestamp),
                    }
                })
                .collect()
        })
    }

    fn arb_chats() -> impl Strategy<Value = Vec<WaitingChat>> {
        prop::collection::vec((arb_lang(), 0i64..100), 0..15).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (lang, since))| chat(i64::try_from(i).unwrap() + 100, lang, since))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_rules_always_hold(agents in arb_agents(), chats in arb_chats()) {
            let got = route(&chats, &agents);
            let slot = |id: AgentId| agents.iter().find(|a| a.agent == id).unwrap();
            // Each chat at most once, and only chats that were waiting.
            let mut tickets: Vec<_> = got.iter().map(|a| a.ticket).collect();
            tickets.sort();
            tickets.dedup();
            prop_assert_eq!(tickets.len(), got.len());
            prop_assert!(got.iter().all(|a| chats.iter().any(|c| c.ticket == a.ticket)));
            // Only online agents, never over the limit.
            let mut load: std::collections::HashMap<AgentId, u32> =
                agents.iter().map(|a| (a.agent, a.load)).collect();
            for a in &got {
                let s = slot(a.agent);
                prop_assert_eq!(s.state, Online);
                let l = load.get_mut(&a.agent).unwrap();
                *l += 1;
                prop_assert!(*l <= s.limit, "agent {:?} over its limit", a.agent);
            }
            // Language: a speaker whenever one is online.
            for a in &got {
                let c = chats.iter().find(|c| c.ticket == a.ticket).unwrap();
                let speaker_online = agents.iter().any(|s| s.state == Online && s.answers(c.lang));
                prop_assert!(!speaker_online || slot(a.agent).answers(c.lang));
            }
            // Nothing left that could have been taken: a waiting chat is unassigned only when
            // every agent who may take it is full at the end.
            for c in &chats {
                if got.iter().any(|a| a.ticket == c.ticket) { continue; }
                let speaker_online = agents.iter().any(|s| s.state == Online && s.answers(c.lang));
                for s in agents.iter().filter(|s| s.state == Online) {
                    if !speaker_online || s.answers(c.lang) {
                        prop_assert!(load[&s.agent] >= s.limit,
                            "chat {:?} left waiting though {:?} had room", c.ticket, s.agent);
                    }
                }
            }
        }

        #[test]
        fn each_choice_is_among_the_least_busy(agents in arb_agents(), chats in arb_chats()) {
            let got = route(&chats, &agents);
            let mut load: std::collections::HashMap<AgentId, u32> =
                agents.iter().map(|a| (a.agent, a.load)).collect();
            for a in &got {
                let c = chats.iter().find(|c| c.ticket == a.ticket).unwrap();
                let speaker_online = agents.iter().any(|s| s.state == Online && s.answers(c.lang));
                let eligible_min = agents
                    .iter()
                    .filter(|s| s.state == Online && load[&s.agent] < s.limit)
                    .filter(|s| !speaker_online || s.answers(c.lang))
                    .map(|s| load[&s.agent])
                    .min()
                    .unwrap();
                prop_assert_eq!(load[&a.agent], eligible_min);
                *load.get_mut(&a.agent).unwrap() += 1;
            }
        }

        #[test]
        fn equal_agents_share_evenly(n in 1usize..6, k in 0usize..30) {
            let agents: Vec<_> = (0..n)
                .map(|i| agent(i64::try_from(i).unwrap() + 1, Online, &[], 0, 100))
                .collect();
            let chats: Vec<_> = (0..k)
                .map(|i| chat(i64::try_from(i).unwrap() + 100, En, i64::try_from(i).unwrap()))
                .collect();
            let got = route(&chats, &agents);
            prop_assert_eq!(got.len(), k);
            for s in &agents {
                let mine = got.iter().filter(|a| a.agent == s.agent).count();
                prop_assert!(mine == k / n || mine == k / n + 1);
            }
        }
    }
}
