-- A minimal protobuf encoder for OTLP traces: just what an ExportTraceServiceRequest with spans, attributes and
-- a status needs (opentelemetry/proto/collector/trace/v1 and trace/v1, common/v1, resource/v1).
-- Wire format: each field is a key (field number << 3 | wire type) and a value; wire type 0 is a varint,
-- 1 eight little-endian bytes (fixed64, double), 2 a varint length and that many bytes (strings, bytes, messages).
--
-- Pure functions over Lua strings; no state, safe from any phase.

local ffi = require("ffi")

local char, concat, floor = string.char, table.concat, math.floor

assert(ffi.abi("le"), "fixed64 encoding here assumes a little-endian machine")

local _M = {}

local VARINT, FIXED64, LENGTH = 0, 1, 2

-- A non-negative integer below 2^53 as a varint: seven bits a byte, low first, high bit set on all but the last.
local function varint(n)
  if n < 0 or n ~= floor(n) or n >= 9007199254740992 then
    error("varint out of range: " .. tostring(n))
  end
  local out = {}
  while n >= 128 do
    out[#out + 1] = char(n % 128 + 128)
    n = floor(n / 128)
  end
  out[#out + 1] = char(n)
  return concat(out)
end

local function key(field, wire_type)
  return varint(field * 8 + wire_type)
end

local function length_delimited(field, bytes)
  return key(field, LENGTH) .. varint(#bytes) .. bytes
end

local u64 = ffi.new("uint64_t[1]")
local f64 = ffi.new("double[1]")

-- Microseconds since the epoch as fixed64 nanoseconds (the multiplication in 64-bit integers, exact).
local function fixed64_nanos(field, micros)
  u64[0] = ffi.cast("uint64_t", micros) * 1000ULL
  return key(field, FIXED64) .. ffi.string(u64, 8)
end

-- AnyValue: string_value = 1, bool_value = 2, int_value = 3 (varint), double_value = 4 (fixed64).
local function any_value(value)
  local kind = type(value)
  if kind == "string" then
    return length_delimited(1, value)
  elseif kind == "boolean" then
    return key(2, VARINT) .. varint(value and 1 or 0)
  elseif kind == "number" and value == floor(value) and value >= 0 and value < 9007199254740992 then
    return key(3, VARINT) .. varint(value)
  elseif kind == "number" then
    f64[0] = value
    return key(4, FIXED64) .. ffi.string(f64, 8)
  end
  error("unsupported attribute value type: " .. kind)
end

-- KeyValue: key = 1, value = 2. Attributes are {name, value} pairs; a nil value is left out.
local function attributes(field, list)
  local out = {}
  for _, pair in ipairs(list or {}) do
    if pair[2] ~= nil then
      out[#out + 1] = length_delimited(field, length_delimited(1, pair[1]) .. length_delimited(2, any_value(pair[2])))
    end
  end
  return concat(out)
end
_M.attributes = attributes

--- One encoded Span message. `s` has trace_id, span_id, parent_span_id (binary strings; parent may be nil),
--- name, kind (1 internal, 2 server, 3 client), start_us, end_us (microseconds since the epoch), attributes
--- ({name, value} pairs) and status_code (nil, or 1 ok, 2 error).
function _M.span(s)
  local out = {
    length_delimited(1, s.trace_id),
    length_delimited(2, s.span_id),
  }
  if s.parent_span_id then
    out[#out + 1] = length_delimited(4, s.parent_span_id)
  end
  out[#out + 1] = length_delimited(5, s.name)
  out[#out + 1] = key(6, VARINT) .. varint(s.kind)
  out[#out + 1] = fixed64_nanos(7, s.start_us)
  out[#out + 1] = fixed64_nanos(8, s.end_us)
  out[#out + 1] = attributes(9, s.attributes)
  if s.status_code then
    out[#out + 1] = length_delimited(15, key(3, VARINT) .. varint(s.status_code)) -- Status.code = 3
  end
  return concat(out)
end

--- The parts every request repeats: a Resource with these attributes (a name → value table) and an
--- InstrumentationScope with this name and version.
function _M.resource_and_scope(resource_attributes, scope_name, scope_version)
  local names = {}
  for name in pairs(resource_attributes) do
    names[#names + 1] = name
  end
  table.sort(names)
  local pairs_list = {}
  for i, name in ipairs(names) do
    pairs_list[i] = { name, resource_attributes[name] }
  end
  return {
    resource = attributes(1, pairs_list), -- Resource.attributes = 1
    scope = length_delimited(1, scope_name) .. length_delimited(2, scope_version), -- name = 1, version = 2
  }
end

--- An ExportTraceServiceRequest (resource_spans = 1) with one ResourceSpans (resource = 1, scope_spans = 2)
--- holding one ScopeSpans (scope = 1, spans = 2) with these encoded spans.
function _M.export_request(resource_and_scope, encoded_spans)
  local scope_spans = { length_delimited(1, resource_and_scope.scope) }
  for i, span in ipairs(encoded_spans) do
    scope_spans[i + 1] = length_delimited(2, span)
  end
  local resource_spans = length_delimited(1, resource_and_scope.resource) ..
    length_delimited(2, concat(scope_spans))
  return length_delimited(1, resource_spans)
end

return _M
