# Helpers for the golden tests. Sourced.
set -euo pipefail
: "${OOMLENS:?OOMLENS (path to the oomlens binary) must be set; run through ctest}"

fail() { echo "FAIL: $*" >&2; exit 1; }

# jq: is $e a "subset" of the input? Objects: every key of $e present with a matching value.
# Arrays: positional, the same length. Scalars: equal. Numbers compare as numbers.
JQ_SUBSET='
def subset($e):
  if ($e|type) == "object" then
    (type == "object") and (. as $a | $e | to_entries | all(.key as $k | .value as $v |
        ($a | has($k)) and ($a[$k] | subset($v))))
  elif ($e|type) == "array" then
    (type == "array") and (length == ($e|length)) and
    (. as $a | [range(0; $e|length)] | all(. as $i | $a[$i] | subset($e[$i])))
  else . == $e end;
'

# First path where the subset check fails, for a readable message.
JQ_SUBSET_WHY='
def why($e; $p):
  if ($e|type) == "object" then
    if type != "object" then [$p]
    else . as $a | [$e | to_entries[] | .key as $k | .value as $v |
           if ($a | has($k)) then ($a[$k] | why($v; $p + "." + $k)) else [$p + "." + $k + " (missing)"] end] | add // []
    end
  elif ($e|type) == "array" then
    if type != "array" or length != ($e|length) then [$p + " (array length \(length), want \($e|length))"]
    else . as $a | [range(0; $e|length) | . as $i | $a[$i] | why($e[$i]; $p + "[\($i)]")] | add // [] end
  else if . == $e then [] else [$p + ": got \(tojson), want \($e|tojson)"] end end;
'
