-- wrk script: GET /api/v1/help/search with a rotating set of Chinese and English queries.
local queries = {
  {"转账失败", "zh-CN"}, {"助记词无效", "zh-CN"}, {"矿工费不足", "zh-CN"}, {"余额显示为0", "zh-CN"},
  {"能量 带宽", "zh-CN"}, {"钱包被盗", "zh-CN"}, {"怎么更新", "zh-CN"}, {"忘记密码", "zh-CN"},
  {"seed phrase invalid", "en"}, {"transaction pending", "en"}, {"insufficient funds for gas", "en"},
  {"balance shows zero", "en"}, {"stuck transfer", "en"}, {"fake support", "en"},
  {"update app", "en"}, {"recovry phrase", "en"},
}
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/v1/help/search?q=" .. enc(q[1]) .. "&lang=" .. q[2])
end
