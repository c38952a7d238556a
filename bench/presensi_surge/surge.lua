-- The morning surge for wrk: every employee checks in once with a selfie, as fast as the server
-- takes them; a tenth of the acknowledged check-ins are replayed with the identical request (an
-- offline queue that lost the answer), which must answer 200 with the same record.
--
-- Run by run.py as
--   wrk -tN -cN -s surge.lua <url> -- <employees.csv> <selfie.jpg> <out dir> <N> <closed port>
-- one connection per thread, so on a thread request() and response() strictly alternate. Thread i
-- takes rows i, i+N, i+2N, ... of the (shuffled) employees CSV. When its last answer is in, the
-- thread writes <out dir>/thread-<i>.txt and stops; run.py ends wrk once every thread has written.
-- wrk reconnects at once after a response that closes the connection (sync workers close every
-- one); a finished thread points that reconnect at a local port nobody listens on, since an idle
-- connection would hold a sync worker until gunicorn's timeout kills it.
--
-- Lines of the thread's file (fields separated by tabs):
--   T first-request-µs last-response-µs resent   (monotonic clock)
--   L latency-µs                                   one per request, check-ins and replays
--   A client-uuid host id nip                      acknowledged check-in (201)
--   R client-uuid ok(0/1) status                   replay
--   E status host body                             failed check-in

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } surge_timespec;
int clock_gettime(int clock_id, surge_timespec *tp);
]])
local CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1
local timespec = ffi.new("surge_timespec")

local function micros(clock)
  ffi.C.clock_gettime(clock, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + math.floor(tonumber(timespec.tv_nsec) / 1000)
end

-- Main state: number the threads.
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local OFFICES = {
  ["wib.surge.localhost"] = { -6.8586, 107.9196 },
  ["wita.surge.localhost"] = { -3.9698, 122.5149 },
  ["wit.surge.localhost"] = { -2.5333, 140.7167 },
}
local PATH = "/api/v1/presensi/checkin/"

local id, out_dir, boundary, selfie_part, closed_port
local employees, position = {}, 0
local pending -- the request on the wire: {kind, raw, uuid, host, nip, id}
local replay_next -- an acknowledged check-in to send again
local latencies, acknowledged, replays, errors = {}, {}, {}, {}
local first_start, last_end, resent, finished, calls = nil, 0, 0, false, 0

-- wrk passes the URL first, then what follows `--`.
function init(args)
  id = tonumber(wrk.thread:get("id"))
  local csv_path, selfie_path, threads = args[#args - 4], args[#args - 3], tonumber(args[#args - 1])
  out_dir, closed_port = args[#args - 2], args[#args]
  math.randomseed(id * 7919 + micros(CLOCK_REALTIME) % 1000003)
  local n = 0
  for line in io.lines(csv_path) do
    if line ~= "" then
      if n % threads == id then
        local host, session, csrf, nip = line:match("^([^,]+),([^,]+),([^,]+),([^,\r]+)")
        employees[#employees + 1] = { host, session, csrf, nip }
      end
      n = n + 1
    end
  end
  local handle = assert(io.open(selfie_path, "rb"))
  local selfie = handle:read("*a")
  handle:close()
  boundary = string.format("----surge%04x%04x%04x%04x", math.random(0, 0xffff), math.random(0, 0xffff),
    math.random(0, 0xffff), id)
  selfie_part = "--" .. boundary .. "\r\n"
    .. 'Content-Disposition: form-data; name="swafoto"; filename="swafoto.jpg"\r\n'
    .. "Content-Type: image/jpeg\r\n\r\n" .. selfie .. "\r\n--" .. boundary .. "--\r\n"
end

local function uuid4()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 0xffff), r(0, 0xffff), r(0, 0xffff),
    r(0, 0xfff), r(0x8000, 0xbfff), r(0, 0xffff), r(0, 0xffff), r(0, 0xffff))
end

local function stamp()
  local us = micros(CLOCK_REALTIME)
  return os.date("!%Y-%m-%dT%H:%M:%S", math.floor(us / 1000000)) .. string.format(".%03dZ", math.floor(us % 1000000 / 1000))
end

local function jitter(range)
  return (math.random() * 2 - 1) * range
end

local function field(name, value)
  return "--" .. boundary .. '\r\nContent-Disposition: form-data; name="' .. name .. '"\r\n\r\n' .. value .. "\r\n"
end

local function check_in(employee)
  local host, session, csrf, nip = employee[1], employee[2], employee[3], employee[4]
  local office = OFFICES[host]
  local client_uuid, now = uuid4(), stamp()
  local body = table.concat({
    field("client_uuid", client_uuid),
    field("jenis", "masuk"),
    field("latitude", string.format("%.7f", office[1] + jitter(0.0005))),
    field("longitude", string.format("%.7f", office[2] + jitter(0.0005))),
    field("akurasi_m", string.format("%.1f", 5 + math.random() * 35)),
    field("waktu_perangkat", now),
    field("dikirim_perangkat", now),
    selfie_part,
  })
  local raw = "POST " .. PATH .. " HTTP/1.1\r\n"
    .. "Host: " .. host .. "\r\n"
    .. "Cookie: sessionid=" .. session .. "; csrftoken=" .. csrf .. "\r\n"
    .. "X-CSRFToken: " .. csrf .. "\r\n"
    .. "Content-Type: multipart/form-data; boundary=" .. boundary .. "\r\n"
    .. "Accept: application/json\r\n"
    .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
  return { kind = "checkin", raw = raw, uuid = client_uuid, host = host, nip = nip }
end

local function finish()
  local lines = {}
  lines[#lines + 1] = string.format("T\t%d\t%d\t%d", first_start or 0, last_end, resent)
  for _, latency in ipairs(latencies) do
    lines[#lines + 1] = "L\t" .. latency
  end
  for _, line in ipairs(acknowledged) do
    lines[#lines + 1] = line
  end
  for _, line in ipairs(replays) do
    lines[#lines + 1] = line
  end
  for _, line in ipairs(errors) do
    lines[#lines + 1] = line
  end
  local final = out_dir .. "/thread-" .. id .. ".txt"
  local handle = assert(io.open(final .. ".part", "w"))
  handle:write(table.concat(lines, "\n"), "\n")
  handle:close()
  assert(os.rename(final .. ".part", final))
  finished = true
  wrk.thread.addr = wrk.lookup("127.0.0.1", closed_port)[1]
  wrk.thread:stop()
end

function request()
  calls = calls + 1
  -- wrk calls request() once on thread 0 before the threads start, to check what it returns.
  local dry_run = id == 0 and calls == 1
  if pending ~= nil then
    -- No answer came for the request on the wire: that dry run, or a lost connection. Send the
    -- same bytes again, as the PWA's queue would; the client UUID makes it safe.
    if not (id == 0 and calls == 2) then
      resent = resent + 1
      pending.resent = true
    end
  elseif replay_next ~= nil then
    pending = { kind = "replay", raw = replay_next.raw, uuid = replay_next.uuid, id = replay_next.id }
    replay_next = nil
  else
    position = position + 1
    local employee = employees[position]
    if employee == nil then
      -- Nothing left (only when a thread got no employees): a harmless request, then stop.
      pending = { kind = "idle", raw = "GET /health/ HTTP/1.1\r\nHost: surge.localhost\r\n\r\n" }
    else
      pending = check_in(employee)
    end
  end
  pending.started = micros(CLOCK_MONOTONIC)
  if not dry_run then
    first_start = first_start or pending.started
  end
  return pending.raw
end

function response(status, headers, body)
  local now = micros(CLOCK_MONOTONIC)
  local sent = pending
  pending = nil
  if sent == nil then
    return
  end
  if sent.kind ~= "idle" then
    latencies[#latencies + 1] = now - sent.started
    last_end = now
  end
  if sent.kind == "checkin" then
    local record = body:match('^%s*{%s*"id"%s*:%s*(%d+)')
    local echoed = body:match('"client_uuid"%s*:%s*"([%x%-]+)"')
    -- 201 is a new record; 200 with the same id can only follow a resend of this request.
    if (status == 201 or (status == 200 and sent.resent)) and record and echoed == sent.uuid then
      acknowledged[#acknowledged + 1] = table.concat({ "A", sent.uuid, sent.host, record, sent.nip }, "\t")
      if math.random() < 0.1 then
        replay_next = { raw = sent.raw, uuid = sent.uuid, id = record }
      end
    else
      local sample = body:gsub("%c", " "):sub(1, 300)
      errors[#errors + 1] = table.concat({ "E", status, sent.host, sample }, "\t")
    end
  elseif sent.kind == "replay" then
    local record = body:match('^%s*{%s*"id"%s*:%s*(%d+)')
    local ok = status == 200 and body:match('"replay"%s*:%s*true') ~= nil and record == sent.id
    replays[#replays + 1] = table.concat({ "R", sent.uuid, ok and 1 or 0, status }, "\t")
  end
  if not finished and replay_next == nil and position >= #employees then
    finish()
  end
end
