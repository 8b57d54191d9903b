# The configuration of the run-to-jsonl throughput runs (side-by-side.sh, run-jsonl.sh); sourced, not run.
# throughput_config LOG STATE_DB EVENTS_FILE IPSET_NAME prints the YAML: one file source, a jsonl output with every
# event, the sip-auth jail with an ipset action (run it in a network namespace).
throughput_config() {
    cat <<YAML
sources:
  - type: file
    path: $1
state:
  path: $2
outputs:
  - type: jsonl
    path: $3
    events: all
jails:
  sip-auth:
    maxretry: 5
    findtime: 10m
    bantime: 1h
    actions:
      - type: ipset
        set: $4
YAML
}
