-- A Kong-shaped tracer for the WebShop gateway: behaves like Kong 3.x with its opentelemetry plugin, on plain
-- nginx with Lua. Per request it makes the spans Kong makes (`kong` SERVER, `kong.router` INTERNAL, one
-- `kong.balancer` CLIENT per upstream try), sends `traceparent` upstream with the balancer span's id, sends and
-- returns `X-Kong-Request-Id`, and exports the spans as OTLP/HTTP protobuf.
--
-- Threading: each nginx worker is one event loop; this module's state (the queue, the counters) is per worker and
-- is only touched from that loop. The request phases never do I/O: log() encodes the finished spans and queues
-- them; a timer (ngx.timer.every) drains the queue with a cosocket. A failing or slow collector costs queued
-- spans, never a proxied request.
--
-- nginx wiring (see kong-nginx.conf.template): init_by_lua configure{...}, init_worker_by_lua init_worker(),
-- access_by_lua access(), header_filter_by_lua header_filter(), log_by_lua log().

local ffi = require("ffi")
local proto = require("threadline_otlp_proto")

local ngx = ngx
local byte, char, concat, floor = string.byte, string.char, table.concat, math.floor

local _M = { _VERSION = "0.1.0" }

local KIND_INTERNAL, KIND_SERVER, KIND_CLIENT = 1, 2, 3

local config = {
  traces_endpoint = nil,
  tracing_sampling_rate = 1.0,
  max_queued_spans = 10000,
  batch_span_count = 200,
  flush_interval = 0.2,
  timeout = 2, -- seconds, for connect, send and each read
}
local endpoint -- { host, port, path, authority }

-- Time in microseconds since the epoch (exact in a Lua number), from clock_gettime when available.
local now_us
do
  local ok = pcall(ffi.cdef, [[
    typedef struct { long tv_sec; long tv_nsec; } threadline_timespec;
    int clock_gettime(int clock_id, threadline_timespec *tp);
  ]])
  local ts = ok and ffi.new("threadline_timespec[1]")
  if ok and pcall(function() return ffi.C.clock_gettime(0, ts) end) then
    now_us = function()
      ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME
      return tonumber(ts[0].tv_sec) * 1000000 + floor(tonumber(ts[0].tv_nsec) / 1000)
    end
  else
    now_us = function()
      ngx.update_time()
      return floor(ngx.now() * 1000000 + 0.5)
    end
  end
end

-- Random ids from OpenSSL's RAND_bytes (nginx links libcrypto), else from a per-worker seeded math.random.
local random_bytes
do
  local ok = pcall(ffi.cdef, "int RAND_bytes(unsigned char *buf, int num);")
  local buf = ffi.new("unsigned char[16]")
  if ok and pcall(function() return ffi.C.RAND_bytes(buf, 1) end) then
    random_bytes = function(n)
      if ffi.C.RAND_bytes(buf, n) ~= 1 then
        error("RAND_bytes failed")
      end
      return ffi.string(buf, n)
    end
  else
    random_bytes = function(n)
      local out = {}
      for i = 1, n do
        out[i] = char(math.random(0, 255))
      end
      return concat(out)
    end
  end
end

local function new_id(n)
  local zero = string.rep("\0", n)
  while true do
    local id = random_bytes(n)
    if id ~= zero then
      return id
    end
  end
end

local function to_hex(bin)
  return (bin:gsub(".", function(c) return string.format("%02x", byte(c)) end))
end

local function from_hex(hex)
  return (hex:gsub("..", function(h) return char(tonumber(h, 16)) end))
end

-- A W3C traceparent, strictly: version 00, lowercase hex, trace and span id not all zero. Returns trace id and
-- span id (binary) and whether the sampled flag is set, or nil for anything else.
local function parse_traceparent(value)
  if type(value) ~= "string" or #value ~= 55 then
    return nil
  end
  local version, trace, span, flags = value:match("^(%x%x)%-(%x+)%-(%x+)%-(%x%x)$")
  if version ~= "00" or #trace ~= 32 or #span ~= 16 or value:find("[A-F]") then
    return nil
  end
  if trace == string.rep("0", 32) or span == string.rep("0", 16) then
    return nil
  end
  return from_hex(trace), from_hex(span), tonumber(flags, 16) % 2 == 1
end
_M.parse_traceparent = parse_traceparent

-- Sampling on the trace id, so that every hop deciding by ratio decides alike: the id's last 7 bytes as a
-- fraction of 2^56, kept when below the rate.
local function sampled_by_rate(trace_id, rate)
  if rate >= 1 then
    return true
  elseif rate <= 0 then
    return false
  end
  local value = 0
  for i = 10, 16 do
    value = value * 256 + byte(trace_id, i)
  end
  return value / 72057594037927936 < rate -- 2^56
end

local function parse_endpoint(url)
  local scheme, authority, path = url:match("^(%a+)://([^/]+)(.*)$")
  if scheme ~= "http" then
    error("traces_endpoint must be an http:// URL: " .. tostring(url))
  end
  local host, port = authority:match("^(.-):(%d+)$")
  host = host or authority
  port = tonumber(port) or 80
  return { host = host:gsub("^%[(.*)%]$", "%1"), port = port, path = path ~= "" and path or "/", authority = authority }
end

--- Sets the configuration, in init_by_lua. Keys as in `config` above; `traces_endpoint` is required.
function _M.configure(options)
  for key, value in pairs(options or {}) do
    if config[key] == nil and key ~= "traces_endpoint" then
      error("unknown option " .. key)
    end
    config[key] = value
  end
  endpoint = parse_endpoint(assert(config.traces_endpoint, "traces_endpoint is required"))
end

-- Per worker: the queue of encoded spans, how many were dropped, and the log rate limit.
local queue, queue_head, queue_tail = {}, 1, 0
local dropped, dropped_logged_at = 0, 0
local failures, failure_logged_at = 0, 0
local exporting = false
local LOG_EVERY = 10 -- seconds between two reports of the same problem

local function queued()
  return queue_tail - queue_head + 1
end

local function enqueue(encoded_span)
  if queued() >= config.max_queued_spans then
    dropped = dropped + 1
    local now = ngx.now()
    if now - dropped_logged_at >= LOG_EVERY then
      dropped_logged_at = now
      ngx.log(ngx.ERR, "threadline kong otel: span queue full (", config.max_queued_spans,
        " spans), dropped ", dropped, " spans so far")
    end
    return
  end
  queue_tail = queue_tail + 1
  queue[queue_tail] = encoded_span
end

local function take(n)
  local batch = {}
  while #batch < n and queue_head <= queue_tail do
    batch[#batch + 1] = queue[queue_head]
    queue[queue_head] = nil
    queue_head = queue_head + 1
  end
  if queue_head > queue_tail then
    queue_head, queue_tail = 1, 0
  end
  return batch
end

local function report_failure(message)
  failures = failures + 1
  local now = ngx.now()
  if now - failure_logged_at >= LOG_EVERY then
    failure_logged_at = now
    ngx.log(ngx.ERR, "threadline kong otel: export to ", config.traces_endpoint, " failed (", failures,
      " failed exports so far): ", message)
  end
end

-- Reads one HTTP/1.1 response; returns the status and whether the connection may be reused.
local function read_response(sock)
  local status_line, err = sock:receive("*l")
  if not status_line then
    return nil, "reading the status line: " .. err
  end
  local status = tonumber(status_line:match("^HTTP/1%.%d (%d%d%d)"))
  if not status then
    return nil, "bad status line: " .. status_line
  end
  local length, chunked, close
  while true do
    local line, herr = sock:receive("*l")
    if not line then
      return nil, "reading headers: " .. herr
    end
    if line == "" then
      break
    end
    local name, value = line:match("^([^:]+):%s*(.-)%s*$")
    if name then
      name = name:lower()
      if name == "content-length" then
        length = tonumber(value)
      elseif name == "transfer-encoding" and value:lower():find("chunked", 1, true) then
        chunked = true
      elseif name == "connection" and value:lower() == "close" then
        close = true
      end
    end
  end
  if chunked then
    while true do
      local size_line, cerr = sock:receive("*l")
      if not size_line then
        return nil, "reading a chunk: " .. cerr
      end
      local size = tonumber(size_line:match("^%x+"), 16)
      if not size then
        return nil, "bad chunk size: " .. size_line
      end
      if size == 0 then
        sock:receive("*l") -- the empty line after the last chunk (no trailers expected)
        break
      end
      local _, derr = sock:receive(size + 2)
      if derr then
        return nil, "reading a chunk: " .. derr
      end
    end
  elseif length then
    if length > 0 then
      local _, berr = sock:receive(length)
      if berr then
        return nil, "reading the body: " .. berr
      end
    end
  else
    close = true -- a body up to the close: do not reuse
  end
  return status, not close
end

local function post(body)
  local sock = ngx.socket.tcp()
  sock:settimeouts(config.timeout * 1000, config.timeout * 1000, config.timeout * 1000)
  local ok, err = sock:connect(endpoint.host, endpoint.port)
  if not ok then
    return nil, "connect: " .. err
  end
  local request = "POST " .. endpoint.path .. " HTTP/1.1\r\n" ..
    "Host: " .. endpoint.authority .. "\r\n" ..
    "User-Agent: threadline-kong-otel/" .. _M._VERSION .. "\r\n" ..
    "Content-Type: application/x-protobuf\r\n" ..
    "Content-Length: " .. #body .. "\r\n\r\n"
  ok, err = sock:send({ request, body })
  if not ok then
    sock:close()
    return nil, "send: " .. err
  end
  local status, reusable = read_response(sock)
  if not status then
    sock:close()
    return nil, reusable
  end
  if reusable then
    sock:setkeepalive(30000, 4)
  else
    sock:close()
  end
  if status < 200 or status > 299 then
    return nil, "HTTP " .. status
  end
  return true
end

local resource_and_scope

local function flush(premature)
  if exporting then
    return
  end
  exporting = true
  local ok, err = pcall(function()
    while queued() > 0 do
      local spans = take(config.batch_span_count)
      local sent, perr = post(proto.export_request(resource_and_scope, spans))
      if not sent then
        report_failure(perr .. " (" .. #spans .. " spans lost)")
        if not premature then
          break -- the rest waits for the next tick
        end
      end
    end
  end)
  exporting = false
  if not ok then
    report_failure(tostring(err))
  end
end

--- Starts the worker's flush timer, in init_worker_by_lua.
function _M.init_worker()
  if not endpoint then
    error("threadline kong otel: configure{traces_endpoint=...} was not called in init_by_lua")
  end
  math.randomseed(ngx.worker.pid() * 1000003 + floor(ngx.now() * 1000))
  resource_and_scope = proto.resource_and_scope({ ["service.name"] = "kong" }, "kong-internal", _M._VERSION)
  local ok, err = ngx.timer.every(config.flush_interval, flush)
  if not ok then
    ngx.log(ngx.ERR, "threadline kong otel: cannot start the flush timer: ", err)
  end
end

-- The access phase: the trace context, the spans begun so far, the headers upstream.
local function access()
  local ctx = ngx.ctx
  local root_start = floor(ngx.req.start_time() * 1000000 + 0.5)
  local router_start = now_us()

  local incoming = ngx.req.get_headers()["traceparent"]
  local trace_id, parent_id, parent_sampled = parse_traceparent(incoming)
  local sampled
  if trace_id then
    sampled = parent_sampled -- parent-based: the caller decided
  else
    trace_id = new_id(16)
    sampled = sampled_by_rate(trace_id, config.tracing_sampling_rate)
  end
  local root_id, router_id, balancer_id = new_id(8), new_id(8), new_id(8)

  local request_id = ngx.var.request_id
  ngx.req.set_header("traceparent", "00-" .. to_hex(trace_id) .. "-" .. to_hex(balancer_id) ..
    (sampled and "-01" or "-00"))
  ngx.req.set_header("X-Kong-Request-Id", request_id)

  local router_end = now_us()
  ctx.threadline_kong = {
    sampled = sampled,
    trace_id = trace_id,
    parent_id = parent_id,
    root_id = root_id,
    root_start = math.min(root_start, router_start),
    router_id = router_id,
    router_start = router_start,
    router_end = router_end,
    balancer_id = balancer_id,
    balancer_start = router_end, -- the proxy module connects right after the access phase
    request_id = request_id,
  }
end

function _M.access()
  local ok, err = pcall(access)
  if not ok then
    ngx.log(ngx.ERR, "threadline kong otel: access phase: ", err)
  end
end

--- Returns the request id to the client, as Kong does by default.
function _M.header_filter()
  ngx.header["X-Kong-Request-Id"] = ngx.var.request_id
end

local function split(value)
  local parts = {}
  -- "a, b : c": tries separated by commas, internal redirects by colons with spaces around
  for part in (value or ""):gmatch("[^,%s]+") do
    if part ~= ":" then
      parts[#parts + 1] = part
    end
  end
  return parts
end

local function error_status(status_code)
  if status_code >= 500 then
    return 2 -- STATUS_CODE_ERROR
  end
  return nil
end

-- The log phase: the spans end, are encoded and queued.
local function log()
  local t = ngx.ctx.threadline_kong
  if not t or not t.sampled then
    return
  end
  local var = ngx.var
  local root_end = now_us()
  local status = ngx.status
  local flavor = ngx.req.http_version()
  local host = var.host
  local scheme = var.scheme

  enqueue(proto.span({
    trace_id = t.trace_id, span_id = t.root_id, parent_span_id = t.parent_id,
    name = "kong", kind = KIND_SERVER, start_us = t.root_start, end_us = root_end,
    status_code = error_status(status),
    attributes = {
      { "http.method", ngx.req.get_method() },
      { "http.url", scheme .. "://" .. host .. ":" .. var.server_port .. var.request_uri },
      { "http.host", host },
      { "http.scheme", scheme },
      { "http.flavor", flavor and (flavor == floor(flavor) and string.format("%d", flavor) or tostring(flavor)) },
      { "net.peer.ip", var.remote_addr },
      { "http.status_code", status },
      { "kong.request.id", t.request_id },
    },
  }))
  enqueue(proto.span({
    trace_id = t.trace_id, span_id = t.router_id, parent_span_id = t.root_id,
    name = "kong.router", kind = KIND_INTERNAL, start_us = t.router_start, end_us = t.router_end,
  }))

  -- One balancer span per try: $upstream_addr and the timings list the tries in order.
  local addresses = split(var.upstream_addr)
  local statuses = split(var.upstream_status)
  local times = split(var.upstream_response_time)
  local start = t.balancer_start
  for try = 1, #addresses do
    local ip, port = addresses[try]:match("^(.*):(%d+)$")
    local try_status = tonumber(statuses[try])
    local duration = (tonumber(times[try]) or 0) * 1000000
    local stop = math.min(floor(start + duration + 0.5), root_end)
    if try == #addresses then
      stop = math.max(stop, start)
    end
    enqueue(proto.span({
      trace_id = t.trace_id, span_id = try == 1 and t.balancer_id or new_id(8), parent_span_id = t.root_id,
      name = "kong.balancer", kind = KIND_CLIENT, start_us = start, end_us = stop,
      status_code = (not try_status or try_status >= 500) and 2 or nil,
      attributes = {
        { "net.peer.ip", ip or addresses[try] },
        { "net.peer.port", tonumber(port) },
        { "try_count", try },
        { "http.status_code", try_status },
      },
    }))
    start = stop
  end
end

function _M.log()
  local ok, err = pcall(log)
  if not ok then
    ngx.log(ngx.ERR, "threadline kong otel: log phase: ", err)
  end
end

return _M
