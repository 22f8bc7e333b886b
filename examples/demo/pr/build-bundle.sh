#!/usr/bin/env bash
# Rebuilds card-validation.bundle: a Git history for the Shopfront demo with one pull request, so
# that `tollgate gate` can be tried on a real base and head without a nested .git folder.
#
#   main                          the demo as it is in examples/demo (without this pr/ folder)
#   sf/SF-102-card-validation     one commit on top: code for wi-SF-102, T006 ticked in
#                                 specs/001-checkout-flow/tasks.md, and a provider config file
#                                 outside the allowed folders that holds a (fake) AWS key
#
# Names, emails and dates are fixed, so the commits are the same on every run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
demo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME="Shopfront Demo" GIT_AUTHOR_EMAIL="demo@shopfront.example"
export GIT_COMMITTER_NAME="Shopfront Demo" GIT_COMMITTER_EMAIL="demo@shopfront.example"
git_() { git -C "$work/repo" -c core.autocrlf=false -c commit.gpgsign=false "$@"; }

mkdir "$work/repo"
(cd "$demo" && tar --exclude=./pr -cf - .) | (cd "$work/repo" && tar -xf -)
git init -q -b main "$work/repo"
git_ add -A
GIT_AUTHOR_DATE="2026-03-02T09:00:00Z" GIT_COMMITTER_DATE="2026-03-02T09:00:00Z" \
  git_ commit -q -m "Shopfront: checkout and refund specs, policy and board"

git_ checkout -q -b sf/SF-102-card-validation
mkdir -p "$work/repo/src/main/java/com/shopfront/payments" "$work/repo/config"
cat > "$work/repo/src/main/java/com/shopfront/payments/PaymentGateway.java" <<'JAVA'
package com.shopfront.payments;

/** The payment provider as checkout sees it: card checks and charges. */
public interface PaymentGateway {

  /** Whether the provider accepts these card details, without charging anything. */
  boolean validateCard(String cardToken, String postcode);

  /** Charges the amount once; the order number makes retries safe. */
  String charge(String orderNumber, long amountInCents, String cardToken);
}
JAVA
sed -i 's/^- \[ \] T006 /- [x] T006 /; s/^\*\*Total\*\*: 21 tasks (3 done)$/**Total**: 21 tasks (4 done)/' \
  "$work/repo/specs/001-checkout-flow/tasks.md"
# The key is assembled here so that this script itself holds nothing that looks like a secret.
key_id="AKIA""IOSFODNN7EXAMPLE"
cat > "$work/repo/config/payment-provider.env" <<ENV
PAYMENT_PROVIDER_URL=https://sandbox.payments.example/v2
AWS_ACCESS_KEY_ID=$key_id
AWS_REGION=eu-west-1
ENV
git_ add -A
GIT_AUTHOR_DATE="2026-03-05T14:30:00Z" GIT_COMMITTER_DATE="2026-03-05T14:30:00Z" \
  git_ commit -q -m "SF-102: validate card details with the payment provider"

git_ bundle create -q "$here/card-validation.bundle" main sf/SF-102-card-validation
echo "wrote $here/card-validation.bundle"
