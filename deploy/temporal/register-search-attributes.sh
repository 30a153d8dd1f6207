#!/bin/sh
# One-shot: register the sync's custom search attributes (SEARCH_ATTRIBUTES="Name=Type ...", the list of
# workflows/search-attributes.ts) on the namespace. Attributes that exist already are left alone, so it
# can run on every `docker compose up`. (The worker also adds missing ones at start-up; this service makes
# them exist before the first worker, and documents them.)
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
: "${SEARCH_ATTRIBUTES:?}"

existing=$(temporal operator search-attribute list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS")
for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair##*=}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
      --name "$name" --type "$type"
  fi
done
echo "Search attributes registered on '$NAMESPACE'"
