# catalyst: a static binary in a minimal, non-root image.
#   docker build -t catalyst .
#   docker run -d --name catalyst -v catalyst-state:/var/lib/catalyst \
#     -e SLACK_WEBHOOK_URL=... -p 127.0.0.1:9120:9120 catalyst
# (Not built in this project's CI: no Docker engine runs there.)
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/catalyst ./cmd/catalyst && mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/catalyst /usr/local/bin/catalyst
COPY configs/catalyst.yaml /etc/catalyst/catalyst.yaml
# The state directory must exist and belong to the non-root user before the volume is mounted.
COPY --from=build --chown=nonroot:nonroot /out/state /var/lib/catalyst
ENV STATE_DIRECTORY=/var/lib/catalyst
VOLUME /var/lib/catalyst
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/catalyst"]
CMD ["run", "--config", "/etc/catalyst/catalyst.yaml"]
