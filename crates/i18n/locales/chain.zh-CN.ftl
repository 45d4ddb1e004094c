# chain (zh-CN): strings for the chain part of the desk.

# btc（第 12 号议题）：比特币（Core RPC、Esplora）与波场 TRON 的诊断结论。
chain-finding-fee_rate_low = 这笔交易的手续费率为 { $fee_rate } sat/vB；当前网络要在最近几个区块内确认约需 { $fast } sat/vB，一小时内约需 { $medium }，一天内约需 { $slow }，因此可能要等很久，甚至被丢弃。
chain-finding-fee_rate_ok = 这笔交易的手续费率为 { $fee_rate } sat/vB，足以应对当前的手续费水平，应该很快会被确认。
chain-finding-rbf_signalled = 这笔交易启用了手续费替换（RBF）：发送它的钱包可以用更高的手续费重新发送来加速。
chain-finding-rbf_not_signalled = 这笔交易没有启用手续费替换（RBF）：发送方钱包无法直接提高它的手续费。
chain-finding-full_rbf = 此节点即使没有 RBF 标记也接受替换交易（full-RBF），因此更高手续费的替换交易仍可能被转发。
chain-finding-cpfp_possible = 输出 { $output }（{ $amount }）尚未花费：其所有者可以用约 { $child_fee } 的手续费花费它来加速这笔交易（子交易为父交易付费，CPFP）。
chain-finding-out_of_energy = 这笔交易在区块 { $block } 因能量不足而失败：所需超出了它的手续费上限；但仍燃烧了 { $burnt }。
chain-finding-energy_burnt = 由于账户没有质押或租用的能量，燃烧了 { $trx } 来支付 { $energy } 能量。
chain-finding-bandwidth_burnt = 燃烧了 { $trx } 来支付 { $bandwidth } 字节的带宽。
chain-finding-resources_used = 这笔交易使用了账户质押或免费额度中的 { $energy } 能量和 { $bandwidth } 字节带宽。
chain-finding-tx_failed = 这笔交易在区块 { $block } 失败，结果为 { $result }；手续费仍被扣除。
chain-finding-account_not_activated = 账户 { $address } 在波场上从未激活：需要先向它转入一些 TRX。
chain-finding-address_unused = 此地址在 { $network } 上从未收到过任何资产：资金可能是在另一个网络上发送的。
chain-finding-recent_transaction = 最近的交易 { $txid }：{ $signed }，{ $when }。
chain-finding-no_energy_for_token = 发送 { $token } 需要能量：约需 { $trx_needed }，但账户只有 { $trx_balance } 和 { $energy } 能量。请先充值 TRX（或质押、租用能量）。
# evm (issue 12): the sentence of each finding the EVM rules give (crates/chain/src/evm.rs), and
# of the findings every chain kind shares. `{name}` values are filled in by the rules.
chain-finding-not_found = 在 { $chain } 上没有找到这笔交易。请确认您选择的网络，并确认哈希已完整复制。
chain-finding-wrong_network = 这笔交易不在 { $asked } 上，而是在 { $found_on } 上找到的。钱包或交易所很可能显示的是另一个网络。
chain-finding-confirmed = 已在区块 { $block } 中确认，目前 { $confirmations } 个确认。已付手续费：{ $fee }。
chain-finding-pending = 这笔交易正在等待被打包进区块。
chain-finding-dropped = 网络中已没有这笔交易（nonce { $nonce }）：它已被丢弃，除非重新广播，否则不会确认。资金没有离开钱包。
chain-finding-replaced = 同一发送地址的另一笔交易使用了相同的 nonce（{ $nonce }），这笔交易已被替换（加速或取消），永远不会确认。
chain-finding-token_transfer = 代币转账：{ $amount } 转给 { $recipient }。
chain-finding-recipient_is_contract = 收款地址 { $recipient } 是一个合约，而不是钱包：转到那里的资金通常无法取回。
chain-finding-recipient_other_network = 收款地址 { $recipient } 是 { $other_chain }（另一个网络）上的 { $symbol } 合约：很可能是从错误的网络复制的。
chain-finding-nonce_gap = 这笔交易（nonce { $nonce }）在等待同一钱包更早的一笔交易（nonce { $waiting_for }）确认：前面还有 { $count } 笔交易要先完成。请加速或取消最早的那一笔。
chain-finding-fee_too_low = 这笔交易出的手续费（每 gas { $offered }）太低：网络当前大约需要 { $needed }（基础费 { $base_fee }）。它可能要等很久；请用更高的手续费加速。
chain-finding-reverted = 交易失败：合约拒绝了它（“{ $reason }”）。手续费 { $fee } 仍被扣除；转账金额没有离开钱包。
chain-finding-reverted-short = 交易失败：合约拒绝了它。手续费 { $fee } 仍被扣除；转账金额没有离开钱包。
chain-finding-out_of_gas = 交易失败：gas 不足（上限 { $gas_limit }）。手续费 { $fee } 已被扣除；请用更高的 gas 上限重新发送。
chain-finding-zero_balance = 这个地址目前在 { $chain } 上没有任何资产。
chain-finding-tokens_on_other_network = 同一地址在 { $other_chain } 上有 { $amount }：钱包可能显示的是错误的网络。
chain-finding-token_not_added = 这个地址持有 { $symbol }（合约 { $contract }）。如果钱包里看不到，请在钱包中添加这个代币。
chain-finding-contract_address = { $address } 是一个合约，不是个人钱包地址。
chain-finding-insufficient_fee = 余额（{ $balance }）不够支付一笔转账的网络手续费（约 { $fee }）。
chain-finding-no_gas_for_token = 这个地址持有 { $symbol }，但没有足够的 { $native } 支付网络手续费（约 { $fee }；余额 { $balance }）。请先转入少量 { $native } 再发送。

# evm (issue 12): input refused, lookups that could not be made (API, CLI, pages).
chain-input-missing = 请输入交易哈希或地址。
chain-input-too_long = 这对交易哈希或地址来说太长了。
chain-input-secret = 这看起来像助记词或私钥。我们没有检查它，没有发送到任何地方，也没有保存。请勿与任何人分享；这里只需输入交易哈希或地址。
chain-error-not_configured = 本服务台尚未设置链上查询。
chain-error-unknown_chain = 本服务台无法查询这个网络。
chain-error-bad_input = 这不是本服务台可查询网络的交易哈希或地址。
chain-error-unreachable = 暂时无法查询：该网络的节点没有响应。请一分钟后再试。
chain-status-pending = 等待确认
chain-status-confirmed = 已确认
chain-status-failed = 失败
chain-status-dropped = 已丢弃
chain-status-replaced = 已被替换
chain-status-not_found = 未找到

# evm (issue 12): the public page "Check my transaction" (/help/check-tx).
chain-page-title = 查询我的交易
chain-page-lead = 粘贴交易哈希（TxID）或钱包地址：我们会向网络查询发生了什么，并用通俗的话解释给您。
chain-page-label = 交易哈希或地址
chain-page-hint = 只需哈希或地址。请勿在这里或任何地方输入助记词或私钥。
chain-page-network = 网络
chain-page-any_network = 任意网络（全部查询）
chain-page-check = 查询
chain-page-article = 接下来该怎么做
chain-page-explorer = 在区块浏览器中查看
chain-page-not_explained = 仅凭链上信息无法解释这笔交易。请提交工单，我们会和您一起查看。
chain-page-open_ticket = 提交工单
chain-page-ticket_subject = 请帮我查一下这笔交易
chain-page-privacy = 您输入的内容只会在本服务台已设置的网络上查询，不会被保存。

# evm (issue 12): the on-chain panel of the agent's ticket view.
chain-panel-title = 链上查询
chain-panel-loading = 正在查询网络…
chain-panel-age = 数据来自 { $secs } 秒前。
chain-panel-refresh = 刷新
chain-panel-insert = 将说明插入回复
# evm 与 btc 合并：共享结论的简短句子，在某类链的规则没有提供完整句子所需的全部值时使用。
chain-finding-wrong_network-short = 这属于另一个网络，而不是您选择的网络：请核对钱包或交易所中选择的网络。
chain-finding-confirmed-short = 已在区块 { $block } 中确认，目前 { $confirmations } 个确认。
chain-finding-dropped-short = 网络中已没有这笔交易：它已被丢弃，除非重新广播，否则不会确认。资金没有离开钱包。
chain-finding-replaced-short = 另一笔交易替换了这一笔（加速或取消），这笔交易永远不会确认。
chain-finding-token_transfer-short = 代币转账：{ $amount }。
chain-finding-recipient_is_contract-short = 收款地址是一个合约，而不是钱包：转到那里的资金通常无法取回。
chain-finding-funds_moved_out-short = 已有资金从这个地址转出；钱包显示的是剩余部分。
chain-finding-insufficient_fee-short = 余额不足以支付发送的网络手续费：请先充值该网络的原生币。
chain-finding-zero_balance-short = 这个地址目前在这个网络上没有任何资产。

# chain2（issue 12）：EVM 地址的历史（最近的交易、资金转出、待确认的转入），以及每类链按其值给出的句子（`Finding::form`：chain.finding.<code>.<form>）。
chain-finding-funds_moved_out = 这个地址最近一次转出：{ $amount } 转给 { $to }（{ $when }，交易 { $txid }）：资金就是转到了那里。
chain-finding-funds_moved_out-internal = 这个地址最近一次转出：{ $amount } 转给 { $to }（{ $when }）：由合约 { $contract }（即这个地址自身的代码）在交易 { $txid } 中转出（内部转账）。资金就是转到了那里。
chain-finding-recent_transaction-internal = 最近的交易 { $txid }：{ $signed }，{ $when }，是合约 { $contract } 在这笔交易中发出的内部转账。
chain-finding-funds_moved_out-count = 这个地址已发出 { $count } 笔交易，都早于这里查看的最近区块：资金可能已从这里转出。
chain-finding-pending_incoming = 有一笔 { $amount } 转入这个地址的交易仍在等待确认（交易 { $txid }）。
chain-finding-pending_incoming-amount = 正在转入这个地址的 { $amount } 仍在等待确认。
chain-finding-pending_incoming_unknown = 这个网络的节点不显示仍在等待确认的交易，所以正在转入这个地址的转账要等确认后才能看到。
chain-finding-pending-outgoing = 从这个地址发出的 { $count } 笔交易仍在等待确认。
chain-finding-replaced-utxo = 另一笔花费同样币的交易替换了这一笔（加速或取消），这笔交易永远不会确认。
chain-finding-replaced-by = 这笔交易已被 { $by } 替换（加速或取消），永远不会确认：请改查那一笔。
chain-finding-dropped-utxo = 网络中已没有这笔交易：它已被丢弃，除非重新广播，否则不会确认。币没有离开钱包。
chain-finding-confirmed-no_fee = 已在区块 { $block } 中确认，目前 { $confirmations } 个确认。
chain-finding-wrong_network-address = 这是 { $network } 的地址，而这个网络是 { $configured }：钱包或交易所很可能显示的是另一个网络。
chain-finding-token_transfer-tron = 代币转账：{ $amount } 从 { $from } 转给 { $to }。
chain-finding-recipient_is_contract-tron = 收款地址 { $to } 是一个合约，而不是钱包：转到那里的资金通常无法取回。
chain-finding-insufficient_fee-tron = 余额（{ $trx_balance }）不够支付一笔 TRX 转账的带宽（约需燃烧 { $trx_needed }）。请先转入一些 TRX。

# chain2（issue 12）：Solana（slot、最终确认、租金）。
chain-finding-confirmed-finalized = 已在 slot { $block } 最终确认：不会再被撤销。已付手续费：{ $fee }。
chain-finding-confirmed-finalized_no_fee = 已在 slot { $block } 最终确认：不会再被撤销。
chain-finding-tx_failed-solana = 这笔交易在 slot { $block } 失败，错误为 { $result }；手续费 { $fee } 仍被扣除。
chain-finding-rent_exempt = 这个账户有 { $balance }，少于 Solana 账户必须保留的 { $rent }（免租金额）加上手续费 { $fee }：部分转出会被拒绝。只能一次全部转出，或者先转入一些 SOL。
