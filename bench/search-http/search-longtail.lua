-- wrk script: the long tail. 495 different Chinese and English queries (a topic word and a
-- problem, e.g. "助记词无效", "gas fee stuck"), sent in rotation: more than the server's result
-- cache holds (256), so every search is computed afresh. search.lua repeats 16 queries, as a
-- help center's most frequent searches repeat; this one measures the cost of a search itself.
local en_topics = {"seed phrase", "transaction", "gas fee", "balance", "transfer", "wallet", "app",
  "usdt", "approval", "node", "address", "private key", "hardware wallet", "bridge", "swap",
  "staking", "token", "nft"}
local en_problems = {"invalid", "pending", "stuck", "missing", "zero", "failed", "not showing",
  "too high", "lost", "import", "restore", "revoke", "wrong network", "update", "crash"}
local zh_topics = {"转账", "助记词", "私钥", "矿工费", "余额", "钱包", "授权", "代币", "跨链", "地址",
  "节点", "手续费", "能量", "带宽", "交易"}
local zh_problems = {"失败", "无效", "不足", "显示为0", "被盗", "卡住", "未到账", "怎么导入", "如何恢复",
  "丢失", "太高", "错误", "在哪里看", "怎么更新", "闪退"}
local en, zh, queries = {}, {}, {}
for _, t in ipairs(en_topics) do
  for _, p in ipairs(en_problems) do en[#en + 1] = {t .. " " .. p, "en"} end
end
for _, t in ipairs(zh_topics) do
  for _, p in ipairs(zh_problems) do zh[#zh + 1] = {t .. p, "zh-CN"} end
end
-- Interleave the languages, as search.lua does.
for k = 1, math.max(#en, #zh) do
  if en[k] then queries[#queries + 1] = en[k] end
  if zh[k] then queries[#queries + 1] = zh[k] end
end
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
-- wrk runs one Lua state per thread: without an offset its two threads would send the same
-- sequence a moment apart, and the second thread's requests would be cache hits. Each thread
-- starts half a rotation further on, so a query comes back only after ~495 other searches,
-- more than the cache holds.
local threads = 0
function setup(thread)
  thread:set("thread_no", threads)
  threads = threads + 1
end
local i = 0
function init(args)
  i = (tonumber(thread_no) or 0) * math.floor(#queries / 2)
end
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/v1/help/search?q=" .. enc(q[1]) .. "&lang=" .. q[2])
end
