package monitor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/feeds"
	"github.com/catalyst-monitor/catalyst/internal/config"
	"github.com/catalyst-monitor/catalyst/notify"
)

func TestDigestChannelGetsOneSummaryPerPeriod(t *testing.T) {
	cfg := testConfig(t, "[]", `notifiers: {slack: {digest: "0 8 * * *"}}`)
	db := openStore(t)
	live, digest := &recorder{}, &recorder{}
	now := time.Date(2027, 3, 20, 7, 0, 0, 0, time.UTC) // after the wall clock: the store stamps rows with it
	clock := func() time.Time { return now }
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db, Now: clock,
		Channels: map[string]notify.Channel{"live": live, "slack": digest}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ts, _ := m.Ingest(ctx, []feeds.Headline{headline("a", "wire.example", "Acme agrees to merge with Bolt", t0)}); len(ts) != 1 {
		t.Fatal("no transition")
	}
	m.Deliver(ctx)
	if len(live.got()) != 1 || len(digest.got()) != 0 {
		t.Fatalf("live got %d, digest channel got %d alerts; want 1 and 0", len(live.got()), len(digest.got()))
	}
	// At 08:05 the period [yesterday 08:00, today 08:00) has ended: one digest, however often asked.
	now = time.Date(2027, 3, 20, 8, 5, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if err := m.QueueDigest(ctx, "slack", "0 8 * * *", false); err != nil {
			t.Fatal(err)
		}
	}
	m.Deliver(ctx)
	got := digest.got()
	if len(got) != 1 {
		t.Fatalf("digest channel got %d messages, want 1", len(got))
	}
	d := got[0]
	if d.Kind != notify.KindDigest || !strings.Contains(d.Text, "Acme merges with Bolt (acme-merger): rumoured → agreed") ||
		!strings.Contains(d.Text, "https://wire.example/a") || d.Key != "digest:2027-03-20T08:00:00Z" {
		t.Errorf("digest = %+v\n%s", d, d.Text)
	}
	// A new Monitor (a restart) in the same period queues nothing new.
	m2, _ := New(ctx, cfg, &config.Secrets{}, Options{Store: db, Now: clock,
		Channels: map[string]notify.Channel{"live": live, "slack": digest}})
	m2.QueueDigest(ctx, "slack", "0 8 * * *", true)
	m2.Deliver(ctx)
	if len(digest.got()) != 1 {
		t.Fatalf("a restart sent the digest again")
	}
	console := notify.FormatConsole(d)
	if !strings.HasPrefix(console, "≡ digest: ") {
		t.Errorf("console rendering of a digest: %q", console)
	}
}

func TestReminderOncePerQuietPeriod(t *testing.T) {
	cfg := testConfig(t, "[]")
	cfg.Catalysts[0].Reminder = 7 * 24 * time.Hour
	db := openStore(t)
	rec := &recorder{}
	now := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db, Now: func() time.Time { return now },
		Channels: map[string]notify.Channel{"rec": rec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m.Ingest(ctx, []feeds.Headline{headline("a", "wire.example", "Acme agrees to merge with Bolt", now)})
	check := func(at time.Time) int {
		now = at
		if err := m.CheckReminders(ctx); err != nil {
			t.Fatal(err)
		}
		m.Deliver(ctx)
		n := 0
		for _, a := range rec.got() {
			if a.Kind == notify.KindReminder {
				n++
			}
		}
		return n
	}
	if n := check(now.Add(6 * 24 * time.Hour)); n != 0 {
		t.Fatalf("reminder after 6 quiet days (period 7): %d", n)
	}
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	if n := check(start.Add(8 * 24 * time.Hour)); n != 1 {
		t.Fatalf("reminders after 8 quiet days: %d, want 1", n)
	}
	if n := check(start.Add(9 * 24 * time.Hour)); n != 1 {
		t.Fatalf("the reminder repeated within its period: %d", n)
	}
	if n := check(start.Add(15 * 24 * time.Hour)); n != 2 {
		t.Fatalf("reminders after 15 quiet days: %d, want 2", n)
	}
	got := rec.got()
	if r := got[len(got)-1]; !strings.Contains(r.Text, "still agreed") {
		t.Errorf("reminder text: %q", r.Text)
	}
}

func TestPeriodEndingIsInUTCAndSpansTheWholePeriod(t *testing.T) {
	monthly, _ := config.CronParser.Parse("0 9 1 * *")
	start, end, ok := periodEnding(monthly, time.Date(2027, 3, 15, 12, 0, 0, 0, time.FixedZone("UTC+8", 8*3600)))
	if !ok || !start.Equal(time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)) || !end.Equal(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("monthly period = %v – %v", start, end)
	}
	daily, _ := config.CronParser.Parse("0 8 * * *")
	start, end, _ = periodEnding(daily, time.Date(2027, 3, 15, 7, 0, 0, 0, time.UTC))
	if !start.Equal(time.Date(2027, 3, 13, 8, 0, 0, 0, time.UTC)) || !end.Equal(time.Date(2027, 3, 14, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("daily period = %v – %v", start, end)
	}
}

func TestReminderCountsFromTheLastEvidenceEvenWhenOld(t *testing.T) {
	cfg := testConfig(t, "[]")
	cfg.Catalysts[0].Reminder = 7 * 24 * time.Hour
	rec := &recorder{}
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	now := start
	m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: openStore(t), Now: func() time.Time { return now },
		Channels: map[string]notify.Channel{"rec": rec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// One untrusted signal: still in the initial state, but there is evidence to count from.
	m.Ingest(ctx, []feeds.Headline{headline("a", "blog.example", "Acme agrees to merge with Bolt", start)})
	now = start.Add(30 * 24 * time.Hour)
	if err := m.CheckReminders(ctx); err != nil {
		t.Fatal(err)
	}
	m.Deliver(ctx)
	got := rec.got()
	if len(got) != 1 || !strings.Contains(got[0].Text, "since 2027-03-01 00:00 UTC") {
		t.Fatalf("reminders = %+v", got)
	}
}

func TestMissedDigestsAreBackfilledOnceEach(t *testing.T) {
	cfg := testConfig(t, "[]", `notifiers: {slack: {digest: "0 8 * * *"}}`)
	db := openStore(t)
	digest := &recorder{}
	now := time.Date(2027, 3, 20, 7, 0, 0, 0, time.UTC)
	newM := func() *Monitor {
		m, err := New(context.Background(), cfg, &config.Secrets{}, Options{Store: db, Now: func() time.Time { return now },
			Channels: map[string]notify.Channel{"slack": digest}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ctx := context.Background()
	m := newM()
	m.Ingest(ctx, []feeds.Headline{headline("a", "wire.example", "Acme agrees to merge with Bolt", t0)})
	// Down from 07:00 on the 20th until the 23rd at 09:00: the periods ending on the 20th (with
	// the transition, recorded at 07:00), the 21st, the 22nd and the 23rd passed while it was down.
	now = time.Date(2027, 3, 23, 9, 0, 0, 0, time.UTC)
	m = newM()
	for i := 0; i < 2; i++ {
		if err := m.QueueDigest(ctx, "slack", "0 8 * * *", true); err != nil {
			t.Fatal(err)
		}
	}
	m.Deliver(ctx)
	var keys []string
	for _, a := range digest.got() {
		keys = append(keys, a.Key)
	}
	want := []string{"digest:2027-03-20T08:00:00Z", "digest:2027-03-23T08:00:00Z"}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("digests sent: %v, want %v (the period with the transition, then the latest)", keys, want)
	}
}
