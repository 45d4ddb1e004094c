# chain (en): strings for the chain part of the desk.

# btc (issue 12): Bitcoin (Core RPC, Esplora) and TRON findings. Values: fee rates in sat/vB,
# amounts already formatted with their symbol.
chain-finding-fee_rate_low = This transaction pays { $fee_rate } sat/vB; the network currently asks about { $fast } sat/vB for the next blocks, { $medium } within an hour and { $slow } within a day, so it may wait long or be dropped.
chain-finding-fee_rate_ok = This transaction pays { $fee_rate } sat/vB, enough for the current fee level; it should confirm soon.
chain-finding-rbf_signalled = The transaction signals replace-by-fee (RBF): the wallet that sent it can speed it up by sending it again with a higher fee.
chain-finding-rbf_not_signalled = The transaction does not signal replace-by-fee (RBF): the sending wallet cannot simply raise its fee.
chain-finding-full_rbf = This node accepts replacements even without the RBF signal (full-RBF), so a higher-fee replacement may still be relayed.
chain-finding-cpfp_possible = Output { $output } ({ $amount }) is unspent: its owner can speed the transaction up by spending it with a fee of about { $child_fee } (child pays for parent).
chain-finding-out_of_energy = The transaction ran out of energy and failed at block { $block }: it needed more than its fee limit allowed; { $burnt } was burnt anyway.
chain-finding-energy_burnt = { $trx } was burnt to pay for { $energy } energy, because the account had no staked or rented energy for it.
chain-finding-bandwidth_burnt = { $trx } was burnt to pay for { $bandwidth } bytes of bandwidth.
chain-finding-resources_used = The transaction used { $energy } energy and { $bandwidth } bytes of bandwidth from the account's stake or free allowance.
chain-finding-tx_failed = The transaction failed at block { $block } with the result { $result }; the fee was still charged.
chain-finding-account_not_activated = The account { $address } has never been activated on TRON: it needs to receive some TRX first.
chain-finding-address_unused = This address has never received anything on { $network }: the funds may have been sent on another network.
chain-finding-recent_transaction = Recent transaction { $txid }: { $signed }, { $when }.
chain-finding-no_energy_for_token = Sending { $token } needs energy: about { $trx_needed } in TRX, but the account has { $trx_balance } and { $energy } energy. Add TRX (or stake or rent energy) first.
# evm (issue 12): the sentence of each finding the EVM rules give (crates/chain/src/evm.rs), and
# of the findings every chain kind shares. `{name}` values are filled in by the rules.
chain-finding-not_found = This transaction was not found on { $chain }. Check the network you chose and that the hash is copied whole.
chain-finding-wrong_network = This transaction is not on { $asked }: it was found on { $found_on }. The wallet or exchange is probably showing another network.
chain-finding-confirmed = Confirmed in block { $block }, { $confirmations ->
    [one] one confirmation
   *[other] { $confirmations } confirmations
} so far. Fee paid: { $fee }.
chain-finding-pending = The transaction is waiting to be included in a block.
chain-finding-dropped = The network no longer has this transaction (nonce { $nonce }): it was dropped and will not confirm unless it is broadcast again. The funds did not leave the wallet.
chain-finding-replaced = Another transaction of the same sender used the same nonce ({ $nonce }), so this one was replaced (sped up or cancelled) and will never confirm.
chain-finding-token_transfer = Token transfer: { $amount } to { $recipient }.
chain-finding-recipient_is_contract = The recipient { $recipient } is a contract, not a wallet: funds sent there are usually stuck for good.
chain-finding-recipient_other_network = The recipient { $recipient } is the { $symbol } contract on { $other_chain }, another network: it was probably copied from the wrong network.
chain-finding-nonce_gap = This transaction (nonce { $nonce }) waits for an earlier one of the same wallet (nonce { $waiting_for }) that is not confirmed yet: { $count } earlier transaction(s) must go first. Speed up or cancel the earliest one.
chain-finding-fee_too_low = The fee offered ({ $offered } per gas) is too low: the network asks about { $needed } now (base fee { $base_fee }). It can wait a long time; speed it up with a higher fee.
chain-finding-reverted = The transaction failed: the contract refused it ("{ $reason }"). The fee { $fee } was still charged; the amount did not leave the wallet.
chain-finding-reverted-short = The transaction failed: the contract refused it. The fee { $fee } was still charged; the amount did not leave the wallet.
chain-finding-out_of_gas = The transaction failed: it ran out of gas (limit { $gas_limit }). The fee { $fee } was charged; send it again with a higher gas limit.
chain-finding-zero_balance = This address holds nothing on { $chain } right now.
chain-finding-tokens_on_other_network = The same address holds { $amount } on { $other_chain }: the wallet may be showing the wrong network.
chain-finding-token_not_added = This address holds { $symbol } (contract { $contract }). If the wallet does not show it, add the token to the wallet.
chain-finding-contract_address = { $address } is a contract, not a personal wallet address.
chain-finding-insufficient_fee = The balance ({ $balance }) does not cover the network fee of a transfer (about { $fee }).
chain-finding-no_gas_for_token = This address holds { $symbol } but not enough { $native } to pay the network fee (about { $fee }; balance { $balance }). Add a little { $native } to send it.

# evm (issue 12): input refused, lookups that could not be made (API, CLI, pages).
chain-input-missing = Enter a transaction hash or an address.
chain-input-too_long = That is too long for a transaction hash or an address.
chain-input-secret = That looks like a recovery phrase or private key. It was not checked, not sent anywhere and not saved. Never share it with anyone; enter only a transaction hash or an address.
chain-error-not_configured = On-chain checks are not set up on this desk.
chain-error-unknown_chain = That network is not one this desk can check.
chain-error-bad_input = That is not a transaction hash or an address of a network this desk can check.
chain-error-unreachable = We couldn't check right now: the network's node did not answer. Try again in a minute.
chain-status-pending = pending
chain-status-confirmed = confirmed
chain-status-failed = failed
chain-status-dropped = dropped
chain-status-replaced = replaced
chain-status-not_found = not found

# evm (issue 12): the public page "Check my transaction" (/help/check-tx).
chain-page-title = Check my transaction
chain-page-lead = Paste a transaction hash (TxID) or a wallet address: we ask the network what happened and explain it in plain words.
chain-page-label = Transaction hash or address
chain-page-hint = Only the hash or the address. Never enter a recovery phrase or private key here or anywhere.
chain-page-network = Network
chain-page-any_network = Any network (search all)
chain-page-check = Check
chain-page-article = What to do next
chain-page-explorer = See it on a block explorer
chain-page-not_explained = The network alone does not explain this one. Open a ticket and we will look into it with you.
chain-page-open_ticket = Open a ticket
chain-page-ticket_subject = Please check my transaction
chain-page-privacy = What you enter is looked up only on the networks this desk has set up, and is not saved.

# evm (issue 12): the on-chain panel of the agent's ticket view.
chain-panel-title = On-chain check
chain-panel-loading = Asking the network…
chain-panel-age = Data from { $secs } s ago.
chain-panel-refresh = Refresh
chain-panel-insert = Insert explanation into the reply
# merge of evm and btc: the shorter sentence of a shared code, used when a chain kind's rules do
# not give every value the full sentence names (Finding::sentence).
chain-finding-wrong_network-short = This belongs to another network than the one chosen: check the network in the wallet or exchange.
chain-finding-confirmed-short = Confirmed in block { $block }, { $confirmations ->
    [one] one confirmation
   *[other] { $confirmations } confirmations
} so far.
chain-finding-dropped-short = The network no longer has this transaction: it was dropped and will not confirm unless it is broadcast again. The funds did not leave the wallet.
chain-finding-replaced-short = Another transaction replaced this one (sped up or cancelled), so this one will never confirm.
chain-finding-token_transfer-short = Token transfer: { $amount }.
chain-finding-recipient_is_contract-short = The recipient is a contract, not a wallet: funds sent there are usually stuck for good.
chain-finding-funds_moved_out-short = Funds were sent out of this address; the wallet shows what is left.
chain-finding-insufficient_fee-short = The balance does not cover the network fee of a send: top up the network's own coin first.
chain-finding-zero_balance-short = This address holds nothing on this network at the moment.

# chain2 (issue 12): an EVM address's history (recent transactions, funds moved out, pending
# incoming), and one sentence per chain kind's values (`Finding::form`: chain.finding.<code>.<form>).
chain-finding-funds_moved_out = The last transfer out of this address sent { $amount } to { $to } ({ $when }, transaction { $txid }): that is where the funds went.
chain-finding-funds_moved_out-internal = The last transfer out of this address sent { $amount } to { $to } ({ $when }): it was sent by contract { $contract }, this address's own code, in transaction { $txid } (an internal transfer). That is where the funds went.
chain-finding-recent_transaction-internal = Recent transaction { $txid }: { $signed }, { $when }, an internal transfer sent by contract { $contract } in that transaction.
chain-finding-funds_moved_out-count = This address has sent { $count } transaction(s), all before the recent blocks checked here: the funds may have been moved out from it.
chain-finding-pending_incoming = A transfer of { $amount } to this address is still waiting to be confirmed (transaction { $txid }).
chain-finding-pending_incoming-amount = { $amount } on its way to this address is still waiting to be confirmed.
chain-finding-pending_incoming_unknown = This network's node does not show transactions that are still waiting, so a transfer on its way to this address cannot be seen until it is confirmed.
chain-finding-pending-outgoing = { $count } transaction(s) sent from this address are still waiting to be confirmed.
chain-finding-replaced-utxo = Another transaction spending the same coins replaced this one (sped up or cancelled), so this one will never confirm.
chain-finding-replaced-by = This transaction was replaced by { $by } (sped up or cancelled), so it will never confirm: look up that one instead.
chain-finding-dropped-utxo = The network no longer has this transaction: it was dropped and will not confirm unless it is broadcast again. The coins did not leave the wallet.
chain-finding-confirmed-no_fee = Confirmed in block { $block }, { $confirmations ->
    [one] one confirmation
   *[other] { $confirmations } confirmations
} so far.
chain-finding-wrong_network-address = This is an address of { $network }, but this network is { $configured }: the wallet or exchange is probably showing another network.
chain-finding-token_transfer-tron = Token transfer: { $amount } from { $from } to { $to }.
chain-finding-recipient_is_contract-tron = The recipient { $to } is a contract, not a wallet: funds sent there are usually stuck for good.
chain-finding-insufficient_fee-tron = The balance ({ $trx_balance }) does not cover the bandwidth of a TRX transfer (about { $trx_needed } would be burnt). Add some TRX first.

# chain2 (issue 12): Solana (slots, finality, rent).
chain-finding-confirmed-finalized = Finalized in slot { $block }: it can no longer be undone. Fee paid: { $fee }.
chain-finding-confirmed-finalized_no_fee = Finalized in slot { $block }: it can no longer be undone.
chain-finding-tx_failed-solana = The transaction failed in slot { $block } with the error { $result }; the fee { $fee } was still charged.
chain-finding-rent_exempt = This account holds { $balance }, less than the { $rent } a Solana account must keep (rent exemption) plus the fee of { $fee }: a partial send is refused. Only sending everything at once works, or add SOL first.
