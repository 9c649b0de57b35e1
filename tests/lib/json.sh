# json.sh: read JSON in integration tests with jq (never grep or awk on JSON text).
#
# Usage: . "$(dirname "$0")/../lib/json.sh"   (lab.sh and netns.sh source it)

command -v jq >/dev/null || { echo "FAIL: jq is not installed (make deps)" >&2; exit 1; }

# json_true TEXT FILTER: whether jq FILTER holds (true) for the JSON document TEXT; for JSON lines, for every line.
json_true() {
	jq -e -s "length > 0 and (map($2) | all)" <<<"$1" >/dev/null 2>&1
}

# json_file_true FILE FILTER: json_true on a file's content.
json_file_true() {
	[ -s "$1" ] && json_true "$(cat "$1")" "$2"
}

# json_get TEXT FILTER: FILTER's value (raw strings), one per line for JSON lines.
json_get() {
	jq -r "$2" <<<"$1"
}

# json_num FILE PATH: the value at PATH (dotted, e.g. server.acceptq.max) of a JSON file, "" when absent.
json_num() {
	jq -r --arg p "$2" 'getpath($p | split(".") | map(tonumber? // .)) // empty' "$1"
}
