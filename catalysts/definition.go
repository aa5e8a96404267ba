package catalysts

import "time"

// Definition is one watched catalyst as a user writes it in the configuration.
type Definition struct {
	// ID is the stable identifier used in alerts, the store and the CLI ("happyhorse-alibaba").
	ID string `yaml:"id"`
	// Name is a short human title ("HappyHorse-1.0 is Alibaba's").
	Name string `yaml:"name"`
	// Description says what the catalyst is about.
	Description string `yaml:"description"`
	// Tickers are the instruments the catalyst moves; the first is the primary one.
	Tickers []string `yaml:"tickers"`
	// Initial is the state the catalyst starts in.
	Initial string `yaml:"initial"`
	// Entities maps a group name to its aliases. A group is an actor or a thing the headline must
	// name ("alibaba": Alibaba, Alibaba Cloud, Tongyi Lab, 阿里巴巴 ...). An alias written as "$BABA"
	// matches only as a ticker: "$BABA", "(BABA)", "NYSE: BABA", in capitals.
	Entities map[string]Phrases `yaml:"entities"`
	// About lists the groups that must all be named for a headline to be about the catalyst.
	About []string `yaml:"about"`
	// Exclude lists phrases that make a headline not about the catalyst, whatever else it names
	// ("rocking toy", "derby").
	Exclude Phrases `yaml:"exclude"`
	// States maps each state name to its description, impact and detection rules.
	States map[string]State `yaml:"states"`
	// Transitions maps a state to the states that may follow it. A state with no entry is final.
	Transitions map[string][]string `yaml:"transitions"`
	// Policy overrides the global evidence policy for this catalyst.
	Policy *PolicyConfig `yaml:"policy"`
	// Reminder, when set, asks for a reminder when no evidence arrived for that long.
	Reminder time.Duration `yaml:"reminder"`
	// Channels routes this catalyst's alerts; empty means every channel.
	Channels []string `yaml:"channels"`
}

// State is one state of a catalyst.
type State struct {
	// Description says what being in this state means.
	Description string `yaml:"description"`
	// Impact maps a ticker to the expected direction when the catalyst enters this state:
	// bullish, bearish or neutral.
	Impact map[string]string `yaml:"impact"`
	// Cues are phrases that assert the catalyst is (now) in this state. See Rule for the syntax.
	Cues Phrases `yaml:"cues"`
	// Require overrides the catalyst's About groups for this state's cues.
	Require []string `yaml:"require"`
}

// PolicyConfig is the evidence policy: who is believed alone, and how many independent sources
// within which window are needed otherwise. Unset fields inherit the global policy.
type PolicyConfig struct {
	// Trusted lists registrable domains whose single report decides.
	Trusted []string `yaml:"trusted_sources"`
	// Quorum is how many independent sources must agree when none is trusted.
	Quorum int `yaml:"quorum"`
	// Window is how close in time those sources must be.
	Window time.Duration `yaml:"window"`
	// Owners groups domains of one owner, which count as one source.
	Owners map[string][]string `yaml:"owners"`
}

// Language holds the global modifier lists that turn a cue into a mere mention.
type Language struct {
	// Hedges make the whole headline uncertain ("reportedly", "sources say", "could", "?", "据悉").
	Hedges Phrases `yaml:"hedges"`
	// Negations negate a cue that follows them in the same clause ("has not", "declines to", "尚未").
	Negations Phrases `yaml:"negations"`
	// Pending mark a cue as a step before the decision ("moves to", "seeks", "request for").
	Pending Phrases `yaml:"pending"`
	// Adjacent defer a cue only when written directly before it ("to" in "moves to dismiss").
	Adjacent Phrases `yaml:"adjacent"`
	// After negate or defer a cue that they closely follow ("talks" in "settlement talks").
	After Phrases `yaml:"after"`
	// Breaks are words that end a clause as a comma does ("as", "while", "amid"): a gap, a
	// negation or a pending step does not reach across them.
	Breaks Phrases `yaml:"breaks"`
	// Conjunctions end the reach of a negation or a pending step, but not a gap ("and", "but"):
	// in "has not confirmed X and denies Y" the denial stands.
	Conjunctions Phrases `yaml:"conjunctions"`
	// Scope is how many words after a negation or pending modifier it still reaches (default 6).
	Scope int `yaml:"scope"`
}
