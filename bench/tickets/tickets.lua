-- wrk script: every request creates one real ticket with a unique e-mail address and subject.
-- Used unchanged for both systems; only the JSON shape differs (each system's own API).
--
--   wrk -t1 -c16 -d10s --latency -s tickets.lua URL -- MODE RUN [TOKEN QUEUE]
--
-- MODE is "walletdesk" (POST /api/v1/tickets) or "django" (POST /helpdesk/api/tickets/ with a
-- DRF token). RUN is a tag that keeps e-mails and subjects unique across wrk invocations.
-- Only 201 responses count as created; everything else is counted per class and the first
-- non-201 body is kept for the report. done() prints one line "BENCH {json}".

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

-- The same text for both systems (about 330 bytes): what a wallet user might write.
local BODY_TEXT = "Since this morning the app shows a zero balance for my savings account although "
  .. "the explorer still shows the coins at my address. I restarted the app twice and updated it "
  .. "from the store; the balance is still zero and the last transaction in the list is from "
  .. "yesterday. Nothing was sent from this phone. What should I check next?"

function init(args)
  mode = args[1]
  run = args[2] or "r"
  token = args[3]
  queue = args[4]
  counter = 0
  created = 0
  other2xx = 0
  s3xx = 0
  s4xx = 0
  s429 = 0
  s5xx = 0
  first_err = ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  if mode == "django" then
    wrk.headers["Authorization"] = "Token " .. token
    path = "/helpdesk/api/tickets/"
  else
    path = "/api/v1/tickets"
  end
end

function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local email = "user-" .. id .. "@bench.example"
  local subject = "Balance shows zero " .. id
  local body
  if mode == "django" then
    body = string.format(
      '{"queue":%s,"title":"%s","description":"%s","submitter_email":"%s","priority":3}',
      queue, subject, BODY_TEXT, email)
  else
    body = string.format(
      '{"email":"%s","category":"other","subject":"%s","body":"%s"}',
      email, subject, BODY_TEXT)
  end
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    return
  end
  if status == 429 then s429 = s429 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 300 then s3xx = s3xx + 1
  else other2xx = other2xx + 1 end
  if first_err == "" then
    first_err = tostring(status) .. " " .. string.sub(body or "", 1, 200)
  end
end

local function jstr(s)
  s = string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local t = { created = 0, other2xx = 0, s3xx = 0, s4xx = 0, s429 = 0, s5xx = 0 }
  local err = ""
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
    local e = th:get("first_err") or ""
    if err == "" then err = e end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"duration_us":%d,"requests":%d,"created":%d,"other2xx":%d,"s3xx":%d,"s4xx":%d,'
      .. '"s429":%d,"s5xx":%d,"connect_err":%d,"read_err":%d,"write_err":%d,"timeout":%d,'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"first_err":%s}\n',
    summary.duration, summary.requests, t.created, t.other2xx, t.s3xx, t.s4xx, t.s429, t.s5xx,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, jstr(err)))
end
