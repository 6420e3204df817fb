-- wrk script: submit roll calls (or pull) from a file of prepared requests, one per line:
--   <bearer token>\t<JSON body with {uuid} where the client UUID goes>
--   <bearer token>\tGET <path and query>
-- Each body gets a fresh random UUID, so every one is a new roll call version, and
-- {clock} becomes the current UTC time: the device clock an honest device sends.
local lines = {}
local index = 0

function init(args)
  local path = args[1]
  for line in io.lines(path) do
    local tab = line:find("\t", 1, true)
    lines[#lines + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
  end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
  index = math.random(#lines)
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  index = index % #lines + 1
  local entry = lines[index]
  local clock = os.date("!%Y-%m-%dT%H:%M:%SZ")
  if entry[2]:sub(1, 4) == "GET " then
    local path = entry[2]:sub(5):gsub("{clock}", clock, 1)
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. entry[1] })
  end
  local body = entry[2]:gsub("{uuid}", uuid4):gsub("{clock}", clock, 1)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. entry[1],
  }, body)
end
