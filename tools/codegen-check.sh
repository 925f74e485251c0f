#!/usr/bin/env bash
# Regenerates the gRPC contracts and every Prisma client, then fails if the result differs from what is
# committed (style rule 10: generated code is reproducible and checked).
set -euo pipefail
cd "$(dirname "$0")/.."

npx buf lint
npx buf generate
for project in libs/*/db; do
  node tools/prisma/generate.cjs "$project" >/dev/null
done

paths=(libs/contracts/src/generated libs/*/db/src/generated)
if ! git diff --quiet --exit-code -- "${paths[@]}" || [ -n "$(git ls-files --others --exclude-standard -- "${paths[@]}")" ]; then
  echo "Generated code differs from the committed version. Run 'npm run contracts:generate' and 'npm run db:generate', then commit:" >&2
  git status --short -- "${paths[@]}" >&2
  git diff --stat -- "${paths[@]}" >&2
  exit 1
fi
echo "generated contracts and Prisma clients match the committed code"
