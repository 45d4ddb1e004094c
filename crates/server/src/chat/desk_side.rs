//! What the agents' workspace (`crate::desk`) does to a chat beyond a ticket's assignee and
//! status: hand a chat to another agent (the user hears who joined), and turn a live chat into
//! a follow-up ticket (the user is told, in their language, that the conversation goes on at its
//! link). Each stores first, then publishes, like the rest of `chat`.

use domain::TicketId;
use store::{ChatSender, ChatState};

use crate::error::ApiError;
use crate::{AppState, Event};

/// Gives the chat to `to`: a chat with an agent changes hands; a waiting one is accepted on
/// their behalf. The user sees `to` join. An ended chat has nothing to hand over (`Ok(false)`:
/// the caller changes the ticket's assignee only).
///
/// # Errors
/// Not a chat (`NotFound`), it ended or changed meanwhile (`Conflict`), storage failures.
pub(crate) async fn transfer(
    state: &AppState,
    ticket: TicketId,
    to: &store::Agent,
) -> Result<bool, ApiError> {
    let conv = state.store.conversation(ticket).await?;
    match conv.state {
        ChatState::Ended => return Ok(false),
        ChatState::Agent => state
            .store
            .transfer_chat(ticket, to.id, state.now())
            .await
            .map_err(|e| match e {
                store::StoreError::Conflict(_) => {
                    ApiError::Conflict("the chat changed meanwhile".into())
                }
                e => e.into(),
            })?,
        ChatState::Assistant | ChatState::Queued => {
            super::accept(state, ticket, to).await?;
            state.store.clear_chat_offer(ticket).await?;
            return Ok(true);
        }
    }
    tracing::info!(ticket.id = %ticket, agent.id = %to.id, "chat transferred");
    state.publish(Event::ChatAccepted {
        ticket,
        agent: to.id,
        agent_name: to.name.clone(),
    });
    Ok(true)
}

/// Ends the live part of a chat that goes on as a follow-up ticket: the user is told so (the
/// conversation's link keeps it, and mail follows once they gave an address) and both sides
/// see the chat end. An ended chat is left as it is.
///
/// # Errors
/// Not a chat (`NotFound`), storage failures.
pub(crate) async fn to_follow_up(state: &AppState, ticket: &store::Ticket) -> Result<(), ApiError> {
    let conv = state.store.conversation(ticket.id).await?;
    if conv.state == ChatState::Ended {
        return Ok(());
    }
    let t = crate::i18n::Tr {
        i18n: &state.i18n,
        lang: ticket.lang,
    };
    super::desk_says(
        state,
        ticket.id,
        ChatSender::System,
        &t.get("chat.follow_up"),
        &[],
    )
    .await?;
    state.store.end_chat(ticket.id, state.now()).await?;
    state.store.clear_chat_offer(ticket.id).await?;
    state.publish(Event::ChatEnded {
        ticket: ticket.id,
        follow_up: true,
    });
    Ok(())
}
