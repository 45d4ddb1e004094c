# chain (en): strings for the chain part of the desk.

# btc (issue 12): Bitcoin (Core RPC, Esplora) and TRON findings. Values: fee rates in sat/vB,
# amounts already formatted with their symbol.
chain.finding.fee_rate_low = This transaction pays {fee_rate} sat/vB; the network currently asks about {fast} sat/vB for the next blocks, {medium} within an hour and {slow} within a day, so it may wait long or be dropped.
chain.finding.fee_rate_ok = This transaction pays {fee_rate} sat/vB, enough for the current fee level; it should confirm soon.
chain.finding.rbf_signalled = The transaction signals replace-by-fee (RBF): the wallet that sent it can speed it up by sending it again with a higher fee.
chain.finding.rbf_not_signalled = The transaction does not signal replace-by-fee (RBF): the sending wallet cannot simply raise its fee.
chain.finding.full_rbf = This node accepts replacements even without the RBF signal (full-RBF), so a higher-fee replacement may still be relayed.
chain.finding.cpfp_possible = Output {output} ({amount}) is unspent: its owner can speed the transaction up by spending it with a fee of about {child_fee} (child pays for parent).
chain.finding.out_of_energy = The transaction ran out of energy and failed at block {block}: it needed more than its fee limit allowed; {burnt} was burnt anyway.
chain.finding.energy_burnt = {trx} was burnt to pay for {energy} energy, because the account had no staked or rented energy for it.
chain.finding.bandwidth_burnt = {trx} was burnt to pay for {bandwidth} bytes of bandwidth.
chain.finding.resources_used = The transaction used {energy} energy and {bandwidth} bytes of bandwidth from the account's stake or free allowance.
chain.finding.tx_failed = The transaction failed at block {block} with the result {result}; the fee was still charged.
chain.finding.account_not_activated = The account {address} has never been activated on TRON: it needs to receive some TRX first.
chain.finding.address_unused = This address has never received anything on {network}: the funds may have been sent on another network.
chain.finding.recent_transaction = Recent transaction {txid}: {signed}, {when}.
chain.finding.no_energy_for_token = Sending {token} needs energy: about {trx_needed} in TRX, but the account has {trx_balance} and {energy} energy. Add TRX (or stake or rent energy) first.
