#!/bin/sh
# One-shot: create the namespace the sync uses if it is missing (temporalio/admin-tools image).
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-7d}"

echo "Waiting for the Temporal frontend at ${TEMPORAL_ADDRESS}..."
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 2; done

temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
echo "Namespace '$NAMESPACE' ready"
