# Convenience targets; the README's two commands need none of them.
SHARED ?= ../shared
BIN    ?= bin/catalyst

.PHONY: build test eval bench install

build:
	go build -o $(BIN) ./cmd/catalyst

test:
	go test -race ./...

# Scores the rules on the labeled development set (CONTRACT.md).
eval: build
	$(BIN) classify --config configs/catalyst.yaml --input $(SHARED)/eval/dev-classify.jsonl > /tmp/catalyst-classify.jsonl
	python3 $(SHARED)/eval/score.py classify $(SHARED)/eval/dev-classify.jsonl /tmp/catalyst-classify.jsonl -v
	$(BIN) replay --config configs/catalyst.yaml --input $(SHARED)/eval/dev-timeline.jsonl > /tmp/catalyst-replay.jsonl
	python3 $(SHARED)/eval/score.py timeline $(SHARED)/eval/dev-timeline.expected.jsonl /tmp/catalyst-replay.jsonl -v

bench:
	go test -run '^$$' -bench . -benchmem ./...

install: build
	install -D -m 0755 $(BIN) /usr/local/bin/catalyst
