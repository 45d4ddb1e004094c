# chain (zh-CN): strings for the chain part of the desk.

# btc（第 12 号议题）：比特币（Core RPC、Esplora）与波场 TRON 的诊断结论。
chain.finding.fee_rate_low = 这笔交易的手续费率为 {fee_rate} sat/vB；当前网络要在最近几个区块内确认约需 {fast} sat/vB，一小时内约需 {medium}，一天内约需 {slow}，因此可能要等很久，甚至被丢弃。
chain.finding.fee_rate_ok = 这笔交易的手续费率为 {fee_rate} sat/vB，足以应对当前的手续费水平，应该很快会被确认。
chain.finding.rbf_signalled = 这笔交易启用了手续费替换（RBF）：发送它的钱包可以用更高的手续费重新发送来加速。
chain.finding.rbf_not_signalled = 这笔交易没有启用手续费替换（RBF）：发送方钱包无法直接提高它的手续费。
chain.finding.full_rbf = 此节点即使没有 RBF 标记也接受替换交易（full-RBF），因此更高手续费的替换交易仍可能被转发。
chain.finding.cpfp_possible = 输出 {output}（{amount}）尚未花费：其所有者可以用约 {child_fee} 的手续费花费它来加速这笔交易（子交易为父交易付费，CPFP）。
chain.finding.out_of_energy = 这笔交易在区块 {block} 因能量不足而失败：所需超出了它的手续费上限；但仍燃烧了 {burnt}。
chain.finding.energy_burnt = 由于账户没有质押或租用的能量，燃烧了 {trx} 来支付 {energy} 能量。
chain.finding.bandwidth_burnt = 燃烧了 {trx} 来支付 {bandwidth} 字节的带宽。
chain.finding.resources_used = 这笔交易使用了账户质押或免费额度中的 {energy} 能量和 {bandwidth} 字节带宽。
chain.finding.tx_failed = 这笔交易在区块 {block} 失败，结果为 {result}；手续费仍被扣除。
chain.finding.account_not_activated = 账户 {address} 在波场上从未激活：需要先向它转入一些 TRX。
chain.finding.address_unused = 此地址在 {network} 上从未收到过任何资产：资金可能是在另一个网络上发送的。
chain.finding.recent_transaction = 最近的交易 {txid}：{signed}，{when}。
chain.finding.no_energy_for_token = 发送 {token} 需要能量：约需 {trx_needed}，但账户只有 {trx_balance} 和 {energy} 能量。请先充值 TRX（或质押、租用能量）。
