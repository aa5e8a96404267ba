package catalysts_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/catalyst-monitor/catalyst/catalysts"
	"github.com/catalyst-monitor/catalyst/internal/config"
)

// The seed catalysts, by their short names in the tables below.
const (
	hha = "happyhorse-alibaba"
	hhl = "happyhorse-launch"
	db  = "disney-bytedance"
	// none in a want means: no signal at all for that catalyst.
	none = "-"
)

// want maps a catalyst to the state its signal must have (or none). A catalyst not listed may
// get a mention, never a decisive signal.
type want map[string]string

var (
	seedOnce sync.Once
	seedCfg  *config.Config
	seedEng  *catalysts.Engine
	seedErr  error
)

func noEnv(string) string { return "" }

// seed loads configs/catalyst.yaml and compiles its engine once per test binary.
func seed(tb testing.TB) (*config.Config, *catalysts.Engine) {
	tb.Helper()
	seedOnce.Do(func() {
		seedCfg, _, seedErr = config.Load(filepath.Join("..", "configs", "catalyst.yaml"), noEnv)
		if seedErr == nil {
			seedEng, seedErr = catalysts.NewEngine(seedCfg.Catalysts, seedCfg.Language)
		}
	})
	if seedErr != nil {
		tb.Fatalf("seed configuration: %v", seedErr)
	}
	return seedCfg, seedEng
}

// states returns each catalyst's signal state for a headline.
func states(tb testing.TB, e *catalysts.Engine, headline string) map[string]string {
	tb.Helper()
	got := map[string]string{}
	for _, s := range e.Classify(headline) {
		if _, dup := got[s.Catalyst]; dup {
			tb.Errorf("%q: two signals for %s", headline, s.Catalyst)
		}
		got[s.Catalyst] = s.State
	}
	return got
}

func checkWant(t *testing.T, e *catalysts.Engine, headline string, w want) {
	t.Helper()
	got := states(t, e, headline)
	for cat, st := range w {
		g, ok := got[cat]
		switch {
		case st == none && ok:
			t.Errorf("%s: got %s, want no signal\n%s", cat, g, explain(e, headline))
		case st != none && g != st:
			t.Errorf("%s: got %q, want %q\n%s", cat, g, st, explain(e, headline))
		}
	}
	for cat, g := range got {
		if _, listed := w[cat]; !listed && g != catalysts.Mention {
			t.Errorf("%s: got decisive %q, want at most a mention\n%s", cat, g, explain(e, headline))
		}
	}
}

func explain(e *catalysts.Engine, headline string) string {
	var b bytes.Buffer
	_ = e.Explain(headline).Write(&b)
	return b.String()
}

// TestClassifySeed runs unseen headlines of every kind the seed catalysts must handle.
func TestClassifySeed(t *testing.T) {
	_, e := seed(t)
	cases := map[string]struct {
		headline string
		want     want
	}{
		"alias/happyhorse_maker_confirmed_alibaba_s_tongyi":                       {"HAPPYHORSE maker confirmed: Alibaba's Tongyi Lab", want{hha: "confirmed"}},
		"alias/happy_horse_1_0_was_developed":                                     {"Happy Horse 1.0 was developed by Alibaba, company confirms", want{hha: "confirmed"}},
		"alias/alibaba_confirms_happy_horse_1_0":                                  {"Alibaba Confirms Happy-Horse 1.0 Is Its Model", want{hha: "confirmed"}},
		"alias/happyhorse_1_0_is_alibaba_s":                                       {"happyhorse-1.0 is alibaba's, says company", want{hha: "confirmed"}},
		"alias/happyhorse_1_0_built_by_alibaba":                                   {"HappyHorse 1.0 built by Alibaba Cloud researchers", want{hha: "confirmed"}},
		"alias/confirms_is_its_model":                                             {"Ａｌｉｂａｂａ confirms ＨａｐｐｙＨｏｒｓｅ－１．０ is its model", want{hha: "confirmed"}},
		"alias/alibaba_confirms_happyhorse_video_generator_is":                    {"Alibaba confirms “HappyHorse” video generator is its own", want{hha: "confirmed"}},
		"alias/alibaba_s_tongyi_lab_says_it":                                      {"Alibaba’s Tongyi Lab says it trained HappyHorse-1.0", want{hha: "confirmed"}},
		"alias/alibaba_confirms_happy_horse_1_0_2":                                {"Alibaba confirms Happy Horse–1.0 came out of its labs", want{hha: "confirmed"}},
		"alias/alibaba_has_no_comment_on_earnings":                                {"Alibaba has no comment on earnings — Tongyi Lab confirms HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"alias/alibaba_isn_t_behind_happyhorse_1":                                 {"Alibaba isn’t behind HappyHorse-1.0, spokesperson says", want{hha: "refuted"}},
		"ticker/dis_sues_bytedance_over_seedance_2":                               {"$DIS sues ByteDance over Seedance 2.0 output", want{db: "filed"}},
		"ticker/walt_disney_co_dis_files_lawsuit":                                 {"Walt Disney Co (DIS) files lawsuit against ByteDance", want{db: "filed"}},
		"ticker/nyse_dis_studio_sues_seedance_maker":                              {"NYSE: DIS - studio sues Seedance maker ByteDance in Los Angeles", want{db: "filed"}},
		"ticker/seedance_maker_bytedance_sued_in_texas":                           {"Seedance maker ByteDance sued in Texas; DIS traders shrug", want{db: none}},
		"ticker/baba_confirms_happyhorse_1_0_is":                                  {"$BABA confirms HappyHorse-1.0 is its video model", want{hha: "confirmed"}},
		"ticker/nyse_baba_unveils_happyhorse_1_0":                                 {"NYSE: BABA unveils HappyHorse-1.0 to investors", want{hha: "confirmed"}},
		"ticker/happyhorse_1_0_creator_confirmed_as":                              {"HappyHorse-1.0 creator confirmed as Ali Baba fan club", want{hha: none}},
		"ticker/happyhorse_1_0_maker_confirmed_baba":                              {"HappyHorse-1.0 maker confirmed; BABA rallies", want{hha: none}},
		"ticker/9988_hk_jumps_after_tongyi_confirms":                              {"9988.HK jumps after Tongyi confirms HappyHorse-1.0 origin", want{hha: "confirmed"}},
		"chinese/aliyun_confirms_made_by_tongyi_lab":                              {"阿里云确认HappyHorse-1.0出自通义实验室", want{hha: "confirmed"}},
		"chinese/wanxiang_team_reveals":                                           {"通义万相团队揭晓HappyHorse模型", want{hha: "confirmed"}},
		"chinese/goes_live_on_bailian":                                            {"HappyHorse-1.0正式上线阿里云百炼平台", want{hha: "confirmed", hhl: "launched"}},
		"chinese/bytedance_sued_by_disney":                                        {"字节跳动遭迪士尼起诉", want{db: "filed"}},
		"chinese/disney_bytedance_settle":                                         {"迪士尼与字节跳动达成和解", want{db: "settled"}},
		"chinese/disney_lawyers_letter":                                           {"迪士尼就Seedance向字节跳动发出律师函", want{db: "threatened"}},
		"chinese/alibaba_denies":                                                  {"阿里巴巴否认开发HappyHorse", want{hha: "refuted"}},
		"chinese/not_yet_confirmed":                                               {"阿里巴巴尚未确认HappyHorse-1.0归属", want{hha: "mention"}},
		"chinese/hedged_reportedly":                                               {"据悉阿里巴巴是HappyHorse-1.0开发者", want{hha: "mention"}},
		"unit/tongyi_lab_confirms_it_developed_happyhorse":                        {"Tongyi Lab confirms it developed HappyHorse-1.0", want{hha: "confirmed"}},
		"unit/alibaba_cloud_unveils_happyhorse_1_0":                               {"Alibaba Cloud unveils HappyHorse-1.0 video model", want{hha: "confirmed"}},
		"unit/wan_team_says_happyhorse_1_0":                                       {"Wan team says HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"unit/happyhorse_1_0_arrives_on_alibaba":                                  {"HappyHorse-1.0 arrives on Alibaba Cloud Model Studio", want{hha: "confirmed", hhl: "launched"}},
		"unit/alibaba_cloud_releases_happyhorse_1_0":                              {"Alibaba Cloud releases HappyHorse-1.0 API for developers", want{hha: "confirmed", hhl: "launched"}},
		"role/disney_sues_midjourney_over_image_generator":                        {"Disney sues Midjourney over image generator", want{db: none}},
		"role/universal_sues_bytedance_over_seedance_2":                           {"Universal sues ByteDance over Seedance 2.0", want{db: none}},
		"role/warner_bros_discovery_files_suit_against":                           {"Warner Bros. Discovery files suit against ByteDance over Seedance", want{db: none}},
		"role/disney_sues_midjourney_as_bytedance_s":                              {"Disney sues Midjourney as ByteDance's Seedance draws scrutiny", want{db: "mention"}},
		"hedge/alibaba_may_unveil_happyhorse_1_0":                                 {"Alibaba may unveil HappyHorse-1.0 next week", want{hha: "mention"}},
		"hedge/alibaba_reportedly_built_happyhorse_1_0":                           {"Alibaba reportedly built HappyHorse-1.0", want{hha: "mention"}},
		"hedge/sources_say_alibaba_s_tongyi_lab":                                  {"Sources say Alibaba's Tongyi Lab made HappyHorse-1.0", want{hha: "mention"}},
		"hedge/happyhorse_1_0_could_launch_on":                                    {"HappyHorse-1.0 could launch on Model Studio this month", want{hhl: "mention"}},
		"hedge/if_disney_sues_bytedance_seedance_could":                           {"If Disney sues ByteDance, Seedance could face delays", want{db: "mention"}},
		"hedge/alibaba_plans_to_release_happyhorse_1":                             {"Alibaba plans to release HappyHorse-1.0 API", want{hha: "mention", hhl: "mention"}},
		"hedge/happyhorse_1_0_set_to_launch":                                      {"HappyHorse-1.0 set to launch on Alibaba Cloud", want{hha: "mention", hhl: "mention"}},
		"hedge/disney_could_file_suit_against_bytedance":                          {"Disney could file suit against ByteDance as soon as Monday", want{db: "mention"}},
		"hedge/questions_mount_over_whether_alibaba_built":                        {"Questions mount over whether Alibaba built HappyHorse-1.0", want{hha: "mention"}},
		"hedge/questions_surround_alibaba_s_claim_it":                             {"Questions surround Alibaba's claim it built HappyHorse-1.0", want{hha: "mention"}},
		"hedge/alibaba_to_open_happyhorse_1_0":                                    {"Alibaba to open HappyHorse-1.0 to developers as soon as Friday", want{hha: "mention", hhl: "mention"}},
		"negation/alibaba_still_hasn_t_confirmed_happyhorse":                      {"Alibaba still hasn't confirmed HappyHorse-1.0 ties", want{hha: "mention"}},
		"negation/still_no_confirmation_from_tongyi_lab":                          {"Still no confirmation from Tongyi Lab on HappyHorse-1.0", want{hha: "mention"}},
		"negation/alibaba_declines_to_confirm_or_deny":                            {"Alibaba declines to confirm or deny HappyHorse-1.0 link", want{hha: "mention"}},
		"negation/judge_rejects_disney_bid_for_injunction":                        {"Judge rejects Disney bid for injunction against ByteDance", want{db: "mention"}},
		"negation/court_denies_disney_s_request_for":                              {"Court denies Disney's request for a restraining order against ByteDance", want{db: "mention"}},
		"negation/judge_denies_request_for_injunction_in":                         {"Judge denies request for injunction in Disney v. ByteDance", want{db: "mention"}},
		"negation/bytedance_files_motion_to_dismiss_disney":                       {"ByteDance files motion to dismiss Disney's Seedance suit", want{db: "mention"}},
		"negation/bytedance_moves_to_dismiss_disney_copyright":                    {"ByteDance moves to dismiss Disney copyright case", want{db: "mention"}},
		"negation/disney_and_bytedance_hold_talks_to":                             {"Disney and ByteDance hold talks to settle Seedance suit", want{db: "mention"}},
		"negation/disney_bytedance_in_settlement_talks":                           {"Disney, ByteDance in settlement talks", want{db: "mention"}},
		"negation/disney_and_bytedance_said_to_be":                                {"Disney and ByteDance said to be nearing settlement over Seedance", want{db: "mention"}},
		"negation/judge_refuses_to_dismiss_disney_s":                              {"Judge refuses to dismiss Disney's lawsuit against ByteDance", want{db: "mention"}},
		"negation/judge_denies_bytedance_s_motion_to":                             {"Judge denies ByteDance's motion to dismiss Disney suit", want{db: "mention"}},
		"negation/happyhorse_1_0_release_postponed_to":                            {"HappyHorse-1.0 release postponed to next year", want{hhl: "mention"}},
		"negation/happyhorse_1_0_still_not_available":                             {"HappyHorse-1.0 still not available to the public", want{hhl: "mention"}},
		"negation/alibaba_hasn_t_confirmed_or_denied":                             {"Alibaba hasn't confirmed or denied building HappyHorse-1.0", want{hha: "mention"}},
		"negation/disney_has_not_sued_or_threatened":                              {"Disney has not sued or threatened ByteDance over Seedance", want{db: "mention"}},
		"legal/bytedance_wins_dismissal_of_disney_s":                              {"ByteDance wins dismissal of Disney's Seedance claims", want{db: "dismissed"}},
		"legal/judge_throws_out_disney_lawsuit_against":                           {"Judge throws out Disney lawsuit against ByteDance", want{db: "dismissed"}},
		"legal/disney_withdraws_seedance_suit_against_bytedance":                  {"Disney withdraws Seedance suit against ByteDance", want{db: "dismissed"}},
		"legal/federal_judge_issues_injunction_barring_bytedance":                 {"Federal judge issues injunction barring ByteDance from using Disney characters in Seedance", want{db: "injunction"}},
		"legal/court_blocks_bytedance_s_seedance_from":                            {"Court blocks ByteDance's Seedance from generating Disney characters", want{db: "injunction"}},
		"legal/bytedance_and_disney_agree_to_settle":                              {"ByteDance and Disney agree to settle Seedance copyright case", want{db: "settled"}},
		"legal/disney_strikes_licensing_agreement_with_bytedance":                 {"Disney strikes licensing agreement with ByteDance, ending Seedance suit", want{db: "settled"}},
		"legal/disney_takes_seedance_maker_bytedance_to":                          {"Disney takes Seedance maker ByteDance to court", want{db: "filed"}},
		"legal/bytedance_slapped_with_disney_copyright_suit":                      {"ByteDance slapped with Disney copyright suit over Seedance", want{db: "filed"}},
		"legal/disney_warns_bytedance_over_seedance_2":                            {"Disney warns ByteDance over Seedance 2.0 clips of Marvel heroes", want{db: "threatened"}},
		"legal/bytedance_sued_by_disney_over_seedance":                            {"ByteDance sued by Disney over Seedance", want{db: "filed"}},
		"conflict/alibaba_denies_report_has_not_confirmed":                        {"Alibaba denies report, has not confirmed HappyHorse-1.0 link", want{hha: "refuted"}},
		"conflict/alibaba_has_not_confirmed_happyhorse_1":                         {"Alibaba has not confirmed HappyHorse-1.0 and denies involvement", want{hha: "refuted"}},
		"conflict/alibaba_denies_happyhorse_1_0_link":                             {"Alibaba denies HappyHorse-1.0 link, says it did not build the model", want{hha: "refuted"}},
		"exclude/happyhorse_plush_toys_fly_off_shelves":                           {"HappyHorse plush toys fly off shelves in Hangzhou", want{hha: none, hhl: none}},
		"exclude/happy_horse_the_racehorse_confirmed_for":                         {"Happy Horse, the racehorse, confirmed for Melbourne Cup", want{hha: none, hhl: none}},
		"exclude/alibaba_sponsors_happy_horse_at_sha":                             {"Alibaba sponsors Happy Horse at Sha Tin derby", want{hha: none, hhl: none}},
		"exclude/jockey_confirms_happy_horse_will_run":                            {"Jockey confirms Happy Horse will run in Alibaba-sponsored race", want{hha: none, hhl: none}},
		"unrelated/alibaba_confirms_qwen_4_release_date":                          {"Alibaba confirms Qwen 4 release date", want{hha: none, hhl: none}},
		"unrelated/bytedance_launches_seedance_2_1_in":                            {"ByteDance launches Seedance 2.1 in Europe", want{}},
		"unrelated/disney_confirms_avatar_sequel_date":                            {"Disney confirms Avatar sequel date", want{db: none}},
		"unrelated/alibaba_unveils_new_wan_video_model":                           {"Alibaba unveils new Wan video model", want{hha: none, hhl: none}},
		"role/disney_sues_tiktok_parent_over_ai":                                  {"Disney sues TikTok parent over AI-generated Marvel clips", want{db: "filed"}},
		"role/disney_universal_sue_chinese_ai_giant":                              {"Disney, Universal sue Chinese AI giant ByteDance", want{db: "filed"}},
		"role/seedance_maker_gets_sued_by_disney":                                 {"Seedance maker gets sued by Disney in California", want{db: "filed"}},
		"break/alibaba_declines_to_comment_as_tongyi":                             {"Alibaba declines to comment as Tongyi Lab confirms HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"gap/judge_grants_disney_and_marvel_preliminary":                          {"Judge grants Disney and Marvel preliminary injunction against ByteDance", want{db: "injunction"}},
		"alibaba_confirmed/alibaba_confirms_it_is_the_developer":                  {"Alibaba confirms it is the developer of HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_says_happyhorse_1_0_is":                        {"Alibaba says HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_identified_as_creator_of_chart":                {"Alibaba identified as creator of chart-topping HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/arena_organizers_say_alibaba_submitted_happyhorse":     {"Arena organizers say Alibaba submitted HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/happyhorse_1_0_came_from_alibaba":                      {"HappyHorse-1.0 came from Alibaba's Tongyi Lab, company says", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_admits_it_built_happyhorse_video":              {"Alibaba admits it built HappyHorse video model", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_group_acknowledges_happyhorse_1_0":             {"Alibaba Group acknowledges HappyHorse-1.0 is its creation", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_owns_up_to_happyhorse_1":                       {"Alibaba owns up to HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_formally_announces_happyhorse_1_0":             {"Alibaba formally announces HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_reveals_itself_as_happyhorse_1":                {"Alibaba reveals itself as HappyHorse-1.0 developer", want{hha: "confirmed"}},
		"alibaba_confirmed/happyhorse_1_0_confirmed_as_alibaba":                   {"HappyHorse-1.0 confirmed as Alibaba model", want{hha: "confirmed"}},
		"alibaba_refuted/alibaba_says_it_has_no_ties":                             {"Alibaba says it has no ties to HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_distances_itself_from_happyhorse_1":              {"Alibaba distances itself from HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_happyhorse_1_0_is_not":                           {"Alibaba: HappyHorse-1.0 is not ours", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_dismisses_speculation_it_built_happyhorse":       {"Alibaba dismisses speculation it built HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/happyhorse_1_0_was_made_by":                              {"HappyHorse-1.0 was made by a Tencent team, not Alibaba", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_shoots_down_happyhorse_1_0":                      {"Alibaba shoots down HappyHorse-1.0 rumours", want{hha: "refuted"}},
		"alibaba_mention/alibaba_stays_mum_on_happyhorse_1":                       {"Alibaba stays mum on HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/is_happyhorse_1_0_alibaba_s":                             {"Is HappyHorse-1.0 Alibaba's secret weapon?", want{hha: "mention"}},
		"alibaba_mention/happyhorse_1_0_may_be_from":                              {"HappyHorse-1.0 may be from Alibaba, analysts say", want{hha: "mention"}},
		"alibaba_mention/alibaba_shares_rise_on_speculation_it":                   {"Alibaba shares rise on speculation it made HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/alibaba_expected_to_confirm_happyhorse_1":                {"Alibaba expected to confirm HappyHorse-1.0 next week", want{hha: "mention"}},
		"alibaba_mention/alibaba_has_yet_to_confirm_happyhorse":                   {"Alibaba has yet to confirm HappyHorse-1.0 link", want{hha: "mention"}},
		"alibaba_mention/alibaba_refuses_to_say_whether_it":                       {"Alibaba refuses to say whether it made HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/alibaba_is_widely_believed_to_be":                        {"Alibaba is widely believed to be behind HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/evidence_points_to_alibaba_as_happyhorse":                {"Evidence points to Alibaba as HappyHorse-1.0 maker", want{hha: "mention"}},
		"alibaba_mention/alibaba_could_be_the_maker_of":                           {"Alibaba could be the maker of HappyHorse-1.0", want{hha: "mention"}},
		"launch_launched/happyhorse_1_0_api_now_available":                        {"HappyHorse-1.0 API now available on Alibaba Cloud", want{hha: "confirmed", hhl: "launched"}},
		"launch_launched/happyhorse_1_0_launches_for_developers":                  {"HappyHorse-1.0 launches for developers worldwide", want{hhl: "launched"}},
		"launch_launched/happyhorse_1_0_opens_to_the":                             {"HappyHorse-1.0 opens to the public on Model Studio", want{hha: "confirmed", hhl: "launched"}},
		"launch_launched/happyhorse_1_0_released_to_enterprise":                   {"HappyHorse-1.0 released to enterprise customers via Bailian", want{hha: "confirmed", hhl: "launched"}},
		"launch_mention/happyhorse_1_0_launch_date_still":                         {"HappyHorse-1.0 launch date still unknown", want{hhl: "mention"}},
		"launch_mention/happyhorse_1_0_will_be_available":                         {"HappyHorse-1.0 will be available to developers next month", want{hhl: "mention"}},
		"launch_mention/when_can_developers_use_happyhorse_1":                     {"When can developers use HappyHorse-1.0?", want{hhl: "mention"}},
		"launch_mention/happyhorse_1_0_not_yet_released":                          {"HappyHorse-1.0 not yet released to the public", want{hhl: "mention"}},
		"launch_mention/alibaba_delays_happyhorse_1_0_release":                    {"Alibaba delays HappyHorse-1.0 release", want{hhl: "mention"}},
		"disney_threatened/disney_sends_legal_letter_to_bytedance":                {"Disney sends legal letter to ByteDance over Seedance clips", want{db: "threatened"}},
		"disney_threatened/disney_threatens_to_sue_bytedance_over":                {"Disney threatens to sue ByteDance over Seedance", want{db: "threatened"}},
		"disney_filed/disney_files_suit_against_bytedance_over":                   {"Disney files suit against ByteDance over Seedance 2.0", want{db: "filed"}},
		"disney_filed/disney_lawsuit_against_bytedance_filed_in":                  {"Disney lawsuit against ByteDance filed in Los Angeles federal court", want{db: "filed"}},
		"disney_filed/disney_launches_legal_action_against_bytedance":             {"Disney launches legal action against ByteDance over Seedance", want{db: "filed"}},
		"disney_filed/disney_drags_bytedance_to_court_over":                       {"Disney drags ByteDance to court over Seedance", want{db: "filed"}},
		"disney_filed/disney_is_suing_bytedance_over_seedance":                    {"Disney is suing ByteDance over Seedance 2.0", want{db: "filed"}},
		"disney_injunction/judge_orders_bytedance_to_halt_seedance":               {"Judge orders ByteDance to halt Seedance generation of Disney characters", want{db: "injunction"}},
		"disney_injunction/disney_wins_preliminary_injunction_against_bytedance":  {"Disney wins preliminary injunction against ByteDance's Seedance", want{db: "injunction"}},
		"disney_injunction/court_grants_disney_restraining_order_against":         {"Court grants Disney restraining order against ByteDance", want{db: "injunction"}},
		"disney_settled/disney_and_bytedance_reach_settlement_in":                 {"Disney and ByteDance reach settlement in Seedance lawsuit", want{db: "settled"}},
		"disney_settled/bytedance_settles_disney_copyright_suit_over":             {"ByteDance settles Disney copyright suit over Seedance", want{db: "settled"}},
		"disney_settled/disney_bytedance_end_seedance_litigation_with":            {"Disney, ByteDance end Seedance litigation with licensing deal", want{db: "settled"}},
		"disney_dismissed/court_dismisses_disney_s_seedance_lawsuit":              {"Court dismisses Disney's Seedance lawsuit against ByteDance", want{db: "dismissed"}},
		"disney_dismissed/disney_voluntarily_dismisses_lawsuit_against_bytedance": {"Disney voluntarily dismisses lawsuit against ByteDance", want{db: "dismissed"}},
		"disney_dismissed/disney_abandons_bytedance_lawsuit_over_seedance":        {"Disney abandons ByteDance lawsuit over Seedance", want{db: "dismissed"}},
		"disney_dismissed/judge_tosses_disney_suit_against_bytedance":             {"Judge tosses Disney suit against ByteDance", want{db: "dismissed"}},
		"disney_mention/disney_weighs_lawsuit_against_bytedance_over":             {"Disney weighs lawsuit against ByteDance over Seedance", want{db: "mention"}},
		"disney_mention/disney_considers_suing_bytedance":                         {"Disney considers suing ByteDance", want{db: "mention"}},
		"disney_mention/bytedance_seeks_dismissal_of_disney_lawsuit":              {"ByteDance seeks dismissal of Disney lawsuit", want{db: "mention"}},
		"disney_mention/bytedance_appeals_injunction_won_by_disney":               {"ByteDance appeals injunction won by Disney", want{db: "mention"}},
		"disney_mention/disney_seeks_injunction_against_bytedance_s":              {"Disney seeks injunction against ByteDance's Seedance", want{db: "mention"}},
		"disney_mention/disney_asks_court_to_block_bytedance":                     {"Disney asks court to block ByteDance's Seedance", want{db: "mention"}},
		"disney_mention/disney_v_bytedance_hearing_set_for":                       {"Disney v. ByteDance: hearing set for March", want{db: "mention"}},
		"disney_mention/bytedance_says_disney_lawsuit_is_baseless":                {"ByteDance says Disney lawsuit is baseless", want{db: "mention"}},
		"disney_mention/bytedance_fights_disney_lawsuit_over_seedance":            {"ByteDance fights Disney lawsuit over Seedance", want{db: "mention"}},
		"disney_mention/disney_bytedance_settlement_talks_stall":                  {"Disney, ByteDance settlement talks stall", want{db: "mention"}},
		"disney_mention/disney_could_settle_with_bytedance_sources":               {"Disney could settle with ByteDance, sources say", want{db: "mention"}},
		"disney_mention/bytedance_to_seek_settlement_with_disney":                 {"ByteDance to seek settlement with Disney", want{db: "mention"}},
		"unrelated/disney_sues_midjourney_over_darth_vader":                       {"Disney sues Midjourney over Darth Vader images", want{db: none}},
		"unrelated/paramount_sues_bytedance_over_seedance":                        {"Paramount sues ByteDance over Seedance", want{db: none}},
		"unrelated/sony_threatens_bytedance_with_lawsuit_over":                    {"Sony threatens ByteDance with lawsuit over Seedance", want{db: none}},
		"disney_mention/paramount_sues_bytedance_as_disney_weighs":                {"Paramount sues ByteDance as Disney weighs its options", want{db: "mention"}},
		"exclude/happy_horse_crowned_champion_at_happy":                           {"Happy Horse crowned champion at Happy Valley racecourse", want{hha: none, hhl: none}},
		"probe/artificial_analysis_confirms_alibaba":                              {"Artificial Analysis confirms Alibaba as source of HappyHorse-1.0 entry", want{hha: "confirmed"}},
		"probe/analysis_prefix_is_a_hedge":                                        {"Analysis: Alibaba unveils HappyHorse-1.0 to win back investors", want{hha: "mention"}},
		"probe/maker_unmasked_it_s_alibaba":                                       {"HappyHorse-1.0 maker unmasked: it's Alibaba", want{hha: "confirmed"}},
		"probe/alibaba_steps_forward_as_creator":                                  {"Alibaba steps forward as creator of HappyHorse-1.0", want{hha: "confirmed"}},
		"probe/alibaba_lifts_the_veil":                                            {"Alibaba lifts the veil on HappyHorse-1.0, the anonymous model that beat Seedance", want{hha: "confirmed"}},
		"probe/developed_in_house_by_tongyi":                                      {"Alibaba Cloud: HappyHorse-1.0 was developed in-house by Tongyi Lab", want{hha: "confirmed"}},
		"probe/is_an_alibaba_model":                                               {"HappyHorse-1.0 is an Alibaba model, leaderboard operator says", want{hha: "confirmed"}},
		"probe/alibaba_behind_company_says":                                       {"Alibaba behind HappyHorse-1.0, company says in statement", want{hha: "confirmed"}},
		"probe/as_alibaba_stays_quiet":                                            {"HappyHorse-1.0 beats Seedance 2.0 again as Alibaba stays quiet", want{hha: "mention"}},
		"probe/speculation_that_alibaba":                                          {"Speculation swirls that Alibaba is the maker of HappyHorse-1.0", want{hha: "mention"}},
		"probe/chinese_rumoured_to_be_alibaba":                                    {"HappyHorse-1.0传为阿里出品，官方未回应", want{hha: "mention"}},
		"probe/chinese_online_rumour":                                             {"网传HappyHorse-1.0是阿里新模型", want{hha: "mention"}},
		"probe/chinese_free_access_opens":                                         {"通义万相HappyHorse-1.0今日起免费开放", want{hha: "confirmed", hhl: "launched"}},
		"probe/chinese_lands_on_bailian":                                          {"HappyHorse-1.0登陆阿里云百炼，开发者可调用API", want{hha: "confirmed", hhl: "launched"}},
		"probe/chinese_release_date_postponed":                                    {"HappyHorse-1.0发布时间推迟", want{hhl: "mention"}},
		"probe/debuts_on_model_studio":                                            {"Alibaba debuts HappyHorse-1.0 on Model Studio for paying customers", want{hha: "confirmed", hhl: "launched"}},
		"probe/debuted_on_leaderboard_is_no_launch":                               {"HappyHorse-1.0 debuted on the leaderboard last month", want{hhl: "mention"}},
		"probe/starts_offering_api_access":                                        {"Alibaba Cloud starts offering HappyHorse-1.0 API access", want{hha: "confirmed", hhl: "launched"}},
		"probe/adds_to_model_studio":                                              {"Alibaba Cloud adds HappyHorse-1.0 to Model Studio lineup", want{hha: "confirmed", hhl: "launched"}},
		"probe/opens_to_the_public":                                               {"HappyHorse-1.0 video model opens to the public", want{hhl: "launched"}},
		"probe/plans_public_release":                                              {"Alibaba plans public release of HappyHorse-1.0 in first quarter", want{hha: "mention", hhl: "mention"}},
		"probe/rival_release_to_challenge":                                        {"ByteDance releases Seedance 2.1 to challenge HappyHorse-1.0", want{hhl: "mention"}},
		"probe/rival_launch_to_rival":                                             {"Tencent launches Hunyuan video model to rival HappyHorse-1.0", want{hhl: "mention"}},
		"probe/rival_launch_weeks_after":                                          {"Kuaishou launches Kling 2.6 weeks after HappyHorse-1.0 tops leaderboard", want{hhl: "mention"}},
		"probe/rival_ships_claims_beats":                                          {"Runway ships Gen-5, claims it beats HappyHorse-1.0", want{hhl: "mention"}},
		"probe/disney_demands_bytedance_stop":                                     {"Disney demands ByteDance stop using its characters in Seedance", want{db: "threatened"}},
		"probe/hauls_into_court":                                                  {"Disney hauls ByteDance into court over Seedance 2.0", want{db: "filed"}},
		"probe/disney_goes_to_court":                                              {"Disney goes to court against ByteDance over Seedance", want{db: "filed"}},
		"probe/bytedance_goes_to_court_is_not_filed":                              {"ByteDance goes to court to fight Disney claims", want{db: "mention"}},
		"probe/slaps_bytedance_with_lawsuit":                                      {"Disney slaps ByteDance with copyright lawsuit", want{db: "filed"}},
		"probe/judge_enjoins_bytedance":                                           {"Judge enjoins ByteDance from using Disney IP in Seedance", want{db: "injunction"}},
		"probe/judge_declines_to_enjoin":                                          {"Judge declines to enjoin ByteDance in Disney copyright case", want{db: "mention"}},
		"probe/barred_from_court_rules":                                           {"ByteDance barred from using Disney works to train Seedance, court rules", want{db: "injunction"}},
		"probe/under_court_order":                                                 {"ByteDance pulls Disney characters from Seedance under court order", want{db: "injunction"}},
		"probe/chinese_court_orders_stop":                                         {"法院裁定字节跳动停止在Seedance中使用迪士尼角色", want{db: "injunction"}},
		"probe/chinese_restraining_order":                                         {"法院颁布临时限制令，禁止字节跳动使用迪士尼角色", want{db: "injunction"}},
		"probe/chinese_injunction_request_granted":                                {"法院批准迪士尼初步禁令申请，字节跳动须停止侵权", want{db: "injunction"}},
		"probe/chinese_injunction_request_rejected":                               {"法院驳回迪士尼针对字节跳动的禁令申请", want{db: "mention"}},
		"probe/announce_settlement":                                               {"ByteDance and Disney announce settlement of Seedance litigation", want{db: "settled"}},
		"probe/bury_the_hatchet":                                                  {"Disney and ByteDance bury the hatchet over Seedance", want{db: "settled"}},
		"probe/settlement_was_reached":                                            {"A settlement was reached between Disney and ByteDance, filing shows", want{db: "settled"}},
		"probe/reach_an_agreement":                                                {"Disney and ByteDance reach an agreement over Seedance", want{db: "settled"}},
		"probe/marketing_deal_is_no_settlement":                                   {"Disney signs Douyin marketing deal with ByteDance for 'Zootopia 2'", want{db: "mention"}},
		"probe/v_dismissed_with_prejudice":                                        {"Disney v. ByteDance dismissed with prejudice", want{db: "dismissed"}},
		"probe/chinese_disney_withdraws_suit":                                     {"迪士尼撤回对字节跳动的起诉", want{db: "dismissed"}},
		"probe/chinese_case_rejected":                                             {"迪士尼起诉字节跳动一案被驳回", want{db: "dismissed"}},
		"probe/chinese_judge_rejects_case":                                        {"美国法官驳回迪士尼诉字节跳动案", want{db: "dismissed"}},
		"probe/chinese_bytedance_asks_to_reject":                                  {"字节跳动申请驳回迪士尼诉讼", want{db: "mention"}},
		"probe/chinese_considers_suing":                                           {"迪士尼考虑起诉字节跳动", want{db: "mention"}},
		"probe/chinese_may_sue":                                                   {"迪士尼或起诉字节跳动", want{db: "mention"}},
		"probe/chinese_said_to_prepare_suit":                                      {"消息称迪士尼准备起诉字节跳动", want{db: "mention"}},
		"probe/chinese_responds_to_suit":                                          {"字节跳动回应迪士尼起诉：Seedance尊重知识产权", want{db: "mention"}},
		"probe/appeals_court_lifts_injunction":                                    {"Appeals court lifts injunction against ByteDance in Disney case", want{db: "mention"}},
		"probe/bid_to_dismiss_rejected":                                           {"ByteDance's bid to dismiss Disney suit rejected", want{db: "mention"}},
		"probe/cease_and_desist_presupposed":                                      {"ByteDance receives Disney cease-and-desist over Seedance", want{db: "threatened"}},
		"probe/netflix_injunction_not_disney":                                     {"Netflix wins injunction against ByteDance over Seedance clips", want{db: none}},
		"probe/happy_horse_trainer_derby":                                         {"Happy Horse trainer confirms Derby bid after barrier trial", want{hha: none, hhl: none}},
		"exclude/happyhorse_toy_maker_launches_new_rocking":                       {"HappyHorse toy maker launches new rocking horse", want{hha: none, hhl: none}},
		"unrelated/disney_launches_new_streaming_bundle":                          {"Disney launches new streaming bundle", want{db: none}},
		"unrelated/alibaba_launches_wan_2_5_video":                                {"Alibaba launches Wan 2.5 video model on Model Studio", want{}},
		"unrelated/bytedance_releases_seedance_2_1_with":                          {"ByteDance releases Seedance 2.1 with longer clips", want{}},
		"alibaba_confirmed/alibaba_confirms_happyhorse_1_0_as":                    {"Alibaba confirms HappyHorse-1.0 as its own, ending leaderboard mystery", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_is_the_company_behind_the":                     {"Alibaba is the company behind the HappyHorse video model", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_cloud_s_model_studio_team":                     {"Alibaba Cloud's Model Studio team unveils HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/leaderboard_operator_names_alibaba_as_happyhorse":      {"Leaderboard operator names Alibaba as HappyHorse-1.0 submitter", want{hha: "confirmed"}},
		"alibaba_confirmed/happyhorse_1_0_belongs_to_alibaba":                     {"HappyHorse-1.0 belongs to Alibaba, company confirms in filing", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_s_tongyi_lab_takes_credit":                     {"Alibaba's Tongyi Lab takes credit for HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/happyhorse_1_0_s_maker_is":                             {"HappyHorse-1.0's maker is Alibaba, leaderboard says", want{hha: "confirmed"}},
		"chinese/official_from_tongyi_lab":                                        {"阿里巴巴官宣：HappyHorse-1.0来自通义实验室", want{hha: "confirmed"}},
		"chinese/tongyi_verifies":                                                 {"阿里通义证实HappyHorse为其模型", want{hha: "confirmed"}},
		"alibaba_refuted/alibaba_says_it_did_not_develop":                         {"Alibaba says it did not develop HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_denies_link_to_mysterious_happyhorse":            {"Alibaba denies link to mysterious HappyHorse model", want{hha: "refuted"}},
		"alibaba_refuted/happyhorse_1_0_is_not_an":                                {"HappyHorse-1.0 is not an Alibaba model, company says", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_calls_happyhorse_1_0_reports":                    {"Alibaba calls HappyHorse-1.0 reports false", want{hha: "refuted"}},
		"chinese/rumour_dispelled_not_alibaba":                                    {"阿里巴巴辟谣：HappyHorse并非阿里模型", want{hha: "refuted"}},
		"alibaba_mention/alibaba_silent_on_happyhorse_1_0":                        {"Alibaba silent on HappyHorse-1.0 as speculation mounts", want{hha: "mention"}},
		"alibaba_mention/happyhorse_1_0_tipped_to_be":                             {"HappyHorse-1.0 tipped to be Alibaba's model", want{hha: "mention"}},
		"alibaba_mention/alibaba_hints_it_is_behind_happyhorse":                   {"Alibaba hints it is behind HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/who_built_happyhorse_1_0_clues":                          {"Who built HappyHorse-1.0? Clues point to Alibaba", want{hha: "mention"}},
		"alibaba_mention/alibaba_neither_confirms_nor_denies_happyhorse":          {"Alibaba neither confirms nor denies HappyHorse-1.0 reports", want{hha: "mention"}},
		"alibaba_mention/alibaba_won_t_confirm_happyhorse_1":                      {"Alibaba won't confirm HappyHorse-1.0 ownership", want{hha: "mention"}},
		"alibaba_mention/happyhorse_1_0_might_come_from":                          {"HappyHorse-1.0 might come from Alibaba's Wan team", want{hha: "mention"}},
		"launch_launched/happyhorse_1_0_goes_live_for":                            {"HappyHorse-1.0 goes live for all users", want{hhl: "launched"}},
		"launch_launched/happyhorse_1_0_is_now_generally":                         {"HappyHorse-1.0 is now generally available", want{hhl: "launched"}},
		"launch_mention/happyhorse_1_0_availability_remains_unclear":              {"HappyHorse-1.0 availability remains unclear", want{hhl: "mention"}},
		"launch_mention/happyhorse_1_0_release_pushed_back":                       {"HappyHorse-1.0 release pushed back", want{hhl: "mention"}},
		"disney_filed/disney_takes_legal_action_against_bytedance":                {"Disney takes legal action against ByteDance over Seedance 2.0", want{db: "filed"}},
		"disney_filed/bytedance_faces_disney_lawsuit_over_seedance":               {"ByteDance faces Disney lawsuit over Seedance", want{db: "filed"}},
		"chinese/disney_formally_sues":                                            {"迪士尼正式起诉字节跳动", want{db: "filed"}},
		"disney_threatened/disney_issues_cease_and_desist_to":                     {"Disney issues cease and desist to ByteDance over Seedance", want{db: "threatened"}},
		"disney_injunction/judge_bars_bytedance_from_using_disney":                {"Judge bars ByteDance from using Disney characters in Seedance", want{db: "injunction"}},
		"chinese/court_injunction":                                                {"法院对字节跳动Seedance发出禁令，迪士尼胜诉", want{db: "injunction"}},
		"disney_settled/disney_and_bytedance_settle_lawsuit_over":                 {"Disney and ByteDance settle lawsuit over AI video tool", want{db: "settled"}},
		"disney_filed/disney_takes_bytedance_to_federal_court":                    {"Disney takes ByteDance to federal court over Seedance 2.0", want{db: "filed"}},
		"disney_injunction/court_grants_disney_s_request_for_injunction":          {"Court grants Disney's request for a preliminary injunction against ByteDance", want{db: "injunction"}},
		"disney_settled/bytedance_agrees_to_pay_disney_to_settle":                 {"ByteDance agrees to pay Disney to settle Seedance copyright suit", want{db: "settled"}},
		"disney_mention/bytedance_agrees_to_talks_refuses_to_settle":              {"ByteDance agrees to mediation, refuses to settle Disney suit", want{db: "mention"}},
		"disney_dismissed/disney_drops_its_lawsuit_against_bytedance":             {"Disney drops its lawsuit against ByteDance", want{db: "dismissed"}},
		"disney_dismissed/judge_dismisses_disney_v_bytedance":                     {"Judge dismisses Disney v. ByteDance", want{db: "dismissed"}},
		"disney_mention/bytedance_to_fight_disney_lawsuit":                        {"ByteDance to fight Disney lawsuit", want{db: "mention"}},
		"disney_mention/disney_lawsuit_against_bytedance_what_comes":              {"Disney lawsuit against ByteDance: what comes next", want{db: "mention"}},
		"disney_mention/could_disney_s_bytedance_lawsuit_be":                      {"Could Disney's ByteDance lawsuit be dismissed?", want{db: "mention"}},
		"disney_mention/disney_s_bytedance_suit_may_be":                           {"Disney's ByteDance suit may be settled soon", want{db: "mention"}},
		"disney_mention/bytedance_says_it_will_not_settle":                        {"ByteDance says it will not settle with Disney", want{db: "mention"}},
		"disney_mention/disney_rejects_bytedance_settlement_offer":                {"Disney rejects ByteDance settlement offer", want{db: "mention"}},
		"disney_mention/disney_has_not_dropped_its_lawsuit":                       {"Disney has not dropped its lawsuit against ByteDance", want{db: "mention"}},
		"disney_mention/bytedance_files_to_dismiss_disney_suit":                   {"ByteDance files to dismiss Disney suit", want{db: "mention"}},
		"unrelated/judge_dismisses_getty_lawsuit_against_stability":               {"Judge dismisses Getty lawsuit against Stability AI", want{db: none}},
		"unrelated/bytedance_settles_tiktok_privacy_suit":                         {"ByteDance settles TikTok privacy suit", want{db: none}},
		"alibaba_confirmed/alibaba_group_confirms_happyhorse_1_0":                 {"Alibaba Group confirms HappyHorse-1.0 was developed in-house", want{hha: "confirmed"}},
		"alibaba_confirmed/tongyi_lab_head_says_team_built":                       {"Tongyi Lab head says team built HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_ends_mystery_happyhorse_1_0":                   {"Alibaba ends mystery: HappyHorse-1.0 is ours", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_officially_claims_happyhorse_1_0":              {"Alibaba officially claims HappyHorse-1.0", want{hha: "confirmed"}},
		"alibaba_confirmed/happyhorse_1_0_unmasked_as_alibaba":                    {"HappyHorse-1.0 unmasked as Alibaba's Wan model", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_announces_happyhorse_1_0_the":                  {"Alibaba announces HappyHorse-1.0, the model that beat Seedance 2.0", want{hha: "confirmed"}},
		"alibaba_confirmed/alibaba_cloud_confirms_happyhorse_1_0":                 {"Alibaba Cloud confirms HappyHorse-1.0 behind leaderboard surge", want{hha: "confirmed"}},
		"alibaba_confirmed/leaderboard_confirms_alibaba_as_happyhorse_1":          {"Leaderboard confirms Alibaba as HappyHorse-1.0 developer", want{hha: "confirmed"}},
		"alibaba_refuted/alibaba_says_it_has_nothing_to":                          {"Alibaba says it has nothing to do with HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/happyhorse_1_0_not_made_by":                              {"HappyHorse-1.0 not made by Alibaba, spokesperson says", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_denies_building_happyhorse_1_0":                  {"Alibaba denies building HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/alibaba_we_did_not_build_happyhorse":                     {"Alibaba: we did not build HappyHorse-1.0", want{hha: "refuted"}},
		"alibaba_refuted/startup_lumen_labs_says_it_created":                      {"Startup Lumen Labs says it created HappyHorse-1.0, not Alibaba", want{hha: "refuted"}},
		"alibaba_mention/alibaba_shares_rally_on_happyhorse_1":                    {"Alibaba shares rally on HappyHorse-1.0 buzz", want{hha: "mention"}},
		"alibaba_mention/is_happyhorse_1_0_made_by":                               {"Is HappyHorse-1.0 made by Alibaba? Here's what we know", want{hha: "mention"}},
		"alibaba_mention/alibaba_hasn_t_commented_on_happyhorse":                  {"Alibaba hasn't commented on HappyHorse-1.0 reports", want{hha: "mention"}},
		"alibaba_mention/report_alibaba_behind_happyhorse_1_0":                    {"Report: Alibaba behind HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/happyhorse_1_0_likely_built_by":                          {"HappyHorse-1.0 likely built by Alibaba, researchers say", want{hha: "mention"}},
		"alibaba_mention/alibaba_said_to_be_behind_happyhorse":                    {"Alibaba said to be behind HappyHorse-1.0", want{hha: "mention"}},
		"alibaba_mention/alibaba_s_silence_on_happyhorse_1":                       {"Alibaba's silence on HappyHorse-1.0 fuels speculation", want{hha: "mention"}},
		"alibaba_mention/alibaba_stock_happyhorse_1_0_could":                      {"Alibaba stock: HappyHorse-1.0 could be a game changer", want{hha: "mention"}},
		"launch_launched/happyhorse_1_0_rolls_out_to":                             {"HappyHorse-1.0 rolls out to Model Studio customers", want{hha: "confirmed", hhl: "launched"}},
		"launch_launched/happyhorse_1_0_api_goes_live":                            {"HappyHorse-1.0 API goes live", want{hhl: "launched"}},
		"launch_launched/developers_can_now_access_happyhorse_1":                  {"Developers can now access HappyHorse-1.0 API", want{hhl: "launched"}},
		"launch_mention/happyhorse_1_0_launch_expected_next":                      {"HappyHorse-1.0 launch expected next quarter", want{hhl: "mention"}},
		"launch_mention/happyhorse_1_0_release_date_set":                          {"HappyHorse-1.0 release date set for December", want{hhl: "mention"}},
		"launch_mention/no_release_date_yet_for_happyhorse":                       {"No release date yet for HappyHorse-1.0", want{hhl: "mention"}},
		"disney_threatened/disney_fires_off_cease_and_desist":                     {"Disney fires off cease-and-desist to ByteDance over Seedance", want{db: "threatened"}},
		"disney_threatened/disney_warns_bytedance_of_legal_action":                {"Disney warns ByteDance of legal action over Seedance", want{db: "threatened"}},
		"disney_filed/disney_files_lawsuit_against_bytedance_over":                {"Disney files lawsuit against ByteDance over AI video tool Seedance", want{db: "filed"}},
		"disney_filed/disney_sues_tiktok_owner_bytedance":                         {"Disney sues TikTok owner ByteDance", want{db: "filed"}},
		"disney_filed/disney_sues_bytedance_alleging_seedance_copied":             {"Disney Sues ByteDance, Alleging Seedance Copied Its Characters", want{db: "filed"}},
		"disney_filed/walt_disney_files_copyright_suit_against":                   {"Walt Disney files copyright suit against ByteDance", want{db: "filed"}},
		"disney_filed/bytedance_faces_disney_copyright_lawsuit_in":                {"ByteDance faces Disney copyright lawsuit in California", want{db: "filed"}},
		"disney_injunction/court_grants_disney_injunction_against_bytedance":      {"Court grants Disney injunction against ByteDance", want{db: "injunction"}},
		"disney_injunction/judge_orders_bytedance_to_remove_disney":               {"Judge orders ByteDance to remove Disney characters from Seedance", want{db: "injunction"}},
		"disney_injunction/disney_secures_temporary_restraining_order_against":    {"Disney secures temporary restraining order against ByteDance", want{db: "injunction"}},
		"disney_settled/disney_and_bytedance_reach_settlement_over":               {"Disney and ByteDance reach settlement over Seedance", want{db: "settled"}},
		"disney_settled/bytedance_disney_settle_copyright_lawsuit":                {"ByteDance, Disney settle copyright lawsuit", want{db: "settled"}},
		"disney_settled/disney_bytedance_strike_deal_to_end":                      {"Disney, ByteDance strike deal to end Seedance lawsuit", want{db: "settled"}},
		"disney_dismissed/judge_dismisses_disney_s_copyright_suit":                {"Judge dismisses Disney's copyright suit against ByteDance", want{db: "dismissed"}},
		"disney_dismissed/disney_withdraws_lawsuit_against_bytedance":             {"Disney withdraws lawsuit against ByteDance", want{db: "dismissed"}},
		"disney_dismissed/court_tosses_disney_lawsuit_against_bytedance":          {"Court tosses Disney lawsuit against ByteDance over Seedance", want{db: "dismissed"}},
		"disney_mention/disney_lawyers_prepare_case_against_bytedance":            {"Disney lawyers prepare case against ByteDance", want{db: "mention"}},
		"disney_mention/bytedance_asks_court_to_dismiss_disney":                   {"ByteDance asks court to dismiss Disney lawsuit", want{db: "mention"}},
		"disney_mention/bytedance_seeks_to_settle_disney_lawsuit":                 {"ByteDance seeks to settle Disney lawsuit", want{db: "mention"}},
		"disney_mention/disney_may_sue_bytedance_over_seedance":                   {"Disney may sue ByteDance over Seedance, sources say", want{db: "mention"}},
		"disney_mention/disney_v_bytedance_hearing_scheduled":                     {"Disney v. ByteDance hearing scheduled", want{db: "mention"}},
		"disney_mention/disney_seeks_preliminary_injunction_against_bytedance":    {"Disney seeks preliminary injunction against ByteDance", want{db: "mention"}},
		"disney_mention/judge_weighs_disney_request_to_block":                     {"Judge weighs Disney request to block Seedance", want{db: "mention"}},
		"disney_mention/disney_s_lawsuit_against_bytedance_explained":             {"Disney's lawsuit against ByteDance: explained", want{db: "mention"}},
		"disney_mention/bytedance_vows_to_fight_disney_lawsuit":                   {"ByteDance vows to fight Disney lawsuit", want{db: "mention"}},
		"disney_mention/disney_and_bytedance_in_talks_to":                         {"Disney and ByteDance in talks to settle Seedance dispute", want{db: "mention"}},
		"unrelated/disney_and_universal_sue_midjourney":                           {"Disney and Universal sue Midjourney", want{db: none}},
		"unrelated/universal_music_settles_tiktok_dispute":                        {"Universal Music settles TikTok dispute", want{db: none}},
		"unrelated/judge_dismisses_suit_against_disney_over":                      {"Judge dismisses suit against Disney over Star Wars", want{db: none}},
		// Clause breaks end a negation's reach: spaced dashes, "--", em dashes, "as".
		"dash/double_hyphen_ends_negation":   {"Alibaba has no comment -- Tongyi Lab confirms HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"dash/spaced_en_dash_ends_negation":  {"Alibaba has no comment – Tongyi Lab confirms HappyHorse-1.0 is its model", want{hha: "confirmed"}},
		"dash/hyphen_inside_a_word_does_not": {"Alibaba has no comment on non-HappyHorse confirms", want{hha: "mention"}},
		// Tickers count only in capitals and in ticker form.
		"ticker/baba_in_parentheses_alone": {"(BABA) unveils HappyHorse-1.0 video model", want{hha: "confirmed"}},
		"ticker/lower_case_dollar_dis":     {"$dis sues ByteDance over Seedance clips", want{db: none}},
		"ticker/baba_in_a_word":            {"HappyHorse-1.0 confirmed as Alibaba-free BABA-style model", want{hha: "confirmed"}},
		// The earliest decisive cue wins.
		"earliest/deny_before_confirm": {"Alibaba denies HappyHorse-1.0 link, says Tongyi Lab built rival model", want{hha: "refuted"}},
		"earliest/sue_before_settle":   {"Disney sues ByteDance over Seedance weeks after settling Marvel dispute", want{db: "filed"}},
		// Probe 3: Disney must be the plaintiff; other studios' suits with Disney only mentioned are not.
		"p3/walt_disney_co_sues_tiktok_parent":    {"Walt Disney Co. sues TikTok parent ByteDance over AI video tool", want{db: "filed"}},
		"p3/comma_list_sue":                       {"Disney, Universal sue ByteDance over Seedance", want{db: "filed"}},
		"p3/and_list_file_suit":                   {"Disney and NBCUniversal file suit against ByteDance in California", want{db: "filed"}},
		"p3/passive_sued_by_disney":               {"ByteDance sued by Disney over Seedance 2.0 clips", want{db: "filed"}},
		"p3/comma_and_list_sue":                   {"Walt Disney, Universal and Warner Bros. Discovery sue ByteDance", want{db: "filed"}},
		"p3/joins_in_suing":                       {"Disney joins Universal, Warner Bros in suing ByteDance over Seedance", want{db: "filed"}},
		"p3/initiates_litigation":                 {"Disney initiates litigation against TikTok owner ByteDance", want{db: "filed"}},
		"p3/lawsuit_from_disney":                  {"ByteDance hit with lawsuit from Disney over Seedance AI", want{db: "filed"}},
		"p3/fronted_after_clause":                 {"After months of warnings, Disney sues ByteDance", want{db: "filed"}},
		"p3/chinese_sued_into_court":              {"字节跳动被迪士尼告上法庭", want{db: "filed"}},
		"p3/universal_sues_as_disney_weighs":      {"Universal sues ByteDance as Disney weighs its options", want{db: "mention"}},
		"p3/lionsgate_sue_disney_declines":        {"Lionsgate, A24 sue ByteDance; Disney declines to join", want{db: "mention"}},
		"p3/netflix_brings_suit_while_disney":     {"Netflix brings suit against ByteDance while Disney holds fire", want{db: "mention"}},
		"p3/warner_takes_to_court_joining_disney": {"Warner Bros. Discovery takes ByteDance to court, joining Disney's fight", want{db: "mention"}},
		"p3/sony_citing_disney_warning":           {"Sony sues ByteDance over Seedance, citing Disney's earlier warning", want{db: "mention"}},
		"p3/chinese_universal_sues":               {"环球影业起诉字节跳动，迪士尼暂未跟进", want{db: "mention"}},
		"p3/bytedance_files_motion_to_transfer":   {"ByteDance files motion to transfer Disney suit to Delaware", want{db: "mention"}},
		"p3/bytedance_files_answer":               {"ByteDance files answer to Disney complaint, denies infringement", want{db: "mention"}},
		"p3/semicolon_other_settlement":           {"Universal settles with ByteDance; Disney case continues", want{db: "mention"}},
		"p3/semicolon_disney_other_settlement":    {"Disney settles with Midjourney; ByteDance suit continues", want{db: "mention"}},
		"p3/semicolon_other_injunction":           {"Netflix wins injunction against ByteDance; Disney's request still pending", want{db: "mention"}},
		"p3/court_halts":                          {"Court halts ByteDance's use of Disney characters in Seedance", want{db: "injunction"}},
		"p3/court_order_forcing":                  {"Disney wins court order forcing ByteDance to pull Seedance clips", want{db: "injunction"}},
		"p3/must_disable_court_rules":             {"ByteDance must disable Disney characters in Seedance, U.S. court rules", want{db: "injunction"}},
		"p3/blocked_from":                         {"Seedance blocked from producing Disney characters by U.S. judge", want{db: "injunction"}},
		"p3/told_by_court_to_stop":                {"ByteDance told by court to stop Seedance outputs of Disney films", want{db: "injunction"}},
		"p3/grants_tro_request":                   {"Judge grants Disney's TRO request against ByteDance", want{db: "injunction"}},
		"p3/ink_settlement":                       {"Disney, ByteDance ink settlement in Seedance copyright fight", want{db: "settled"}},
		"p3/notify_court_of_settlement":           {"Disney v ByteDance: parties notify court of settlement", want{db: "settled"}},
		"p3/chinese_handshake":                    {"迪士尼与字节跳动握手言和，Seedance版权纠纷落幕", want{db: "settled"}},
		"p3/chinese_case_name_dismissed":          {"法院驳回迪士尼诉字节跳动侵权案", want{db: "dismissed"}},
		"p3/chinese_withdraws_against":            {"迪士尼撤回针对字节跳动的Seedance诉讼", want{db: "dismissed"}},
		"p3/chinese_court_rejects_disney_against": {"美国法院驳回迪士尼针对字节跳动的侵权诉讼", want{db: "dismissed"}},
		"p3/survives_motion_to_dismiss":           {"Disney suit against ByteDance survives motion to dismiss", want{db: "mention"}},
		"p3/comes_clean":                          {"UPDATE 1-Alibaba comes clean on HappyHorse-1.0, shares rise 3%", want{hha: "confirmed"}},
		"p3/concedes":                             {"Alibaba concedes HappyHorse-1.0 is its Wan model in disguise", want{hha: "confirmed"}},
		"p3/we_built":                             {"We built HappyHorse-1.0, Alibaba's Tongyi Lab says in blog post", want{hha: "confirmed"}},
		"p3/claims_model":                         {"'Yes, it's us': Alibaba claims chart-topping HappyHorse-1.0", want{hha: "confirmed"}},
		"p3/came_out_of_its_lab":                  {"Alibaba Group says HappyHorse-1.0 came out of its Hangzhou research lab", want{hha: "confirmed"}},
		"p3/chinese_developed_by":                 {"阿里巴巴披露：HappyHorse-1.0由阿里云自主研发", want{hha: "confirmed"}},
		"p3/unmasked_as_other_maker":              {"HappyHorse-1.0 unmasked as a MiniMax model; Alibaba had no role", want{hha: "refuted"}},
		"p3/not_developed_by_us":                  {"Alibaba spokesperson: HappyHorse-1.0 was not developed by us", want{hha: "refuted"}},
		"p3/someone_else_s":                       {"Alibaba Cloud says HappyHorse-1.0 is someone else's model", want{hha: "refuted"}},
		"p3/dash_documents_attribution":           {"Exclusive: Alibaba trained HappyHorse-1.0 on Youku footage - documents", want{hha: "mention"}},
		"p3/insiders_colon":                       {"Alibaba insiders: HappyHorse-1.0 is Tongyi's work", want{hha: "mention"}},
		"p3/chinese_market_guess":                 {"市场猜测HappyHorse-1.0为阿里模型，阿里股价上涨", want{hha: "mention"}},
		"p3/semicolon_other_model_confirmed":      {"Alibaba confirms Wan 3.0 release date; HappyHorse-1.0 not mentioned", want{hha: "mention"}},
		"p3/unveils_other_model":                  {"Alibaba unveils Qwen3-Omni weeks after HappyHorse-1.0 frenzy", want{hha: "mention"}},
		"p3/switches_on":                          {"Alibaba Cloud switches on HappyHorse-1.0 for Model Studio users", want{hha: "confirmed", hhl: "launched"}},
		"p3/open_to_overseas_developers":          {"HappyHorse-1.0 API now open to overseas developers via Alibaba Cloud International", want{hha: "confirmed", hhl: "launched"}},
		"p3/exits_beta":                           {"Alibaba's HappyHorse-1.0 exits beta, opens to all users", want{hha: "confirmed", hhl: "launched"}},
		"p3/brings_to_model_studio":               {"Alibaba Cloud brings HappyHorse-1.0 to Model Studio, ending the mystery", want{hha: "confirmed", hhl: "launched"}},
		"p3/chinese_listed_on_bailian":            {"阿里云百炼上架HappyHorse-1.0，按秒计费", want{hha: "confirmed", hhl: "launched"}},
		"p3/chinese_public_beta":                  {"通义万相HappyHorse-1.0正式公测", want{hha: "confirmed", hhl: "launched"}},
		"p3/rival_rolls_out":                      {"ByteDance rolls out Seedance 2.1 to counter HappyHorse-1.0", want{hhl: "mention"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			checkWant(t, e, tc.headline, tc.want)
		})
	}
}

// TestClassifySignalFields checks what a signal says about its decision: the cue, the aliases,
// and the hedges, negations and pending steps that held a cue back.
func TestClassifySignalFields(t *testing.T) {
	_, e := seed(t)
	cases := map[string]struct {
		headline, catalyst, state string
		cue                       string
		aliases                   []string
		hedges, negations         []string
		pending                   []string
		reason                    string
	}{
		"decisive": {headline: "Disney sues ByteDance over Seedance 2.0", catalyst: db, state: "filed",
			cue: "disney sues bytedance", aliases: []string{"disney=disney", "bytedance=bytedance", "bytedance=seedance"},
			reason: `cue "disney sues bytedance" asserts filed`},
		"hedge": {headline: "Alibaba reportedly built HappyHorse-1.0", catalyst: hha, state: catalysts.Mention,
			cue: "alibaba reportedly built", hedges: []string{"reportedly"}, reason: `hedged by "reportedly"`},
		"negation": {headline: "Alibaba has not confirmed HappyHorse-1.0 ownership", catalyst: hha, state: catalysts.Mention,
			cue: "confirmed", negations: []string{"not"}, reason: `negated by "not"`},
		"pending": {headline: "ByteDance moves to dismiss Disney copyright case", catalyst: db, state: catalysts.Mention,
			pending: []string{"moves to"}, reason: "a step before the decision"},
		"no_cue": {headline: "Alibaba shares and HappyHorse-1.0 chatter", catalyst: hha, state: catalysts.Mention,
			reason: "about the catalyst, no decisive cue"},
		"earliest_wins": {headline: "Alibaba denies HappyHorse-1.0 link, says Tongyi Lab built rival model", catalyst: hha,
			state: "refuted", cue: "denies happyhorse 1 0 link", reason: "earliest decisive cue wins over"},
		"full_width_alias": {headline: "ＡＬＩＢＡＢＡ confirms ＨａｐｐｙＨｏｒｓｅ", catalyst: hha, state: "confirmed",
			aliases: []string{"alibaba=alibaba", "horse=happyhorse"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var sig *catalysts.Signal
			for _, s := range e.Classify(tc.headline) {
				if s.Catalyst == tc.catalyst {
					sig = &s
				}
			}
			if sig == nil {
				t.Fatalf("no %s signal\n%s", tc.catalyst, explain(e, tc.headline))
			}
			if sig.State != tc.state {
				t.Errorf("state %q, want %q", sig.State, tc.state)
			}
			if sig.Decisive() != (tc.state != catalysts.Mention) {
				t.Errorf("Decisive() = %v for state %q", sig.Decisive(), sig.State)
			}
			if tc.cue != "" && sig.Cue != tc.cue {
				t.Errorf("cue %q, want %q", sig.Cue, tc.cue)
			}
			for _, a := range tc.aliases {
				if !slices.Contains(sig.Aliases, a) {
					t.Errorf("aliases %q lack %q", sig.Aliases, a)
				}
			}
			for _, pair := range []struct {
				got, want []string
				what      string
			}{{sig.Hedges, tc.hedges, "hedges"}, {sig.Negations, tc.negations, "negations"}, {sig.Pending, tc.pending, "pending"}} {
				if !slices.Equal(pair.got, pair.want) {
					t.Errorf("%s %q, want %q", pair.what, pair.got, pair.want)
				}
			}
			if !strings.Contains(sig.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", sig.Reason, tc.reason)
			}
		})
	}
}

// TestExplain checks that the explanation names what decided: aliases, cues and their rules,
// hedges, negations, pending steps, clause breaks, exclusions and missing entities.
func TestExplain(t *testing.T) {
	_, e := seed(t)
	cases := map[string]struct {
		headline string
		contains []string
	}{
		"decisive": {"Disney sues ByteDance over Seedance 2.0", []string{
			"disney-bytedance", "aliases: disney=disney", `"disney sues bytedance" → filed (rule "{disney} ... sues ... {bytedance}"): decisive`,
			"verdict: filed"}},
		"hedge": {"Alibaba reportedly built HappyHorse-1.0", []string{
			`modifier: hedge "reportedly" at word 2`, `→ confirmed (rule "{alibaba} ... built"): hedged by "reportedly"`,
			"verdict: mention"}},
		"negation": {"Alibaba has not confirmed HappyHorse-1.0", []string{
			`negation "not" at word 3`, `"confirmed" → confirmed (rule "confirmed"): negated by "not"`, "verdict: mention"}},
		"pending": {"Judge denies ByteDance motion to dismiss Disney suit", []string{
			`→ dismissed`, `a step before the decision`, "verdict: mention"}},
		"conflict": {"Alibaba has not confirmed HappyHorse-1.0 and denies involvement", []string{
			`conjunction "and" at word 8`, `negated by "not"`, `"denies" → refuted (rule "denies"): decisive`, "verdict: refuted"}},
		"break": {"Alibaba declines to comment as Tongyi Lab confirms HappyHorse-1.0", []string{
			`break "as" at word 5`, `"confirms" → confirmed (rule "confirms"): decisive`}},
		"exclusion": {"HappyHorse rocking toys recalled in Europe", []string{
			"happyhorse-alibaba", "excluded by one of its exclude phrases"}},
		"missing_group": {"Disney sues Midjourney over Darth Vader images", []string{
			"not about this catalyst: missing bytedance"}},
		"nothing": {"Oil prices climb as OPEC trims output", []string{"no catalyst is named: no signal"}},
		"normalised_words": {"Ａｌｉｂａｂａ’s “HappyHorse” — confirmed", []string{
			"words:    alibaba s happyhorse - confirmed"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := explain(e, tc.headline)
			for _, s := range tc.contains {
				if !strings.Contains(out, s) {
					t.Errorf("explanation lacks %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestClassifyNoCatalystAllocs: a headline that names no catalyst costs no allocation.
func TestClassifyNoCatalystAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random")
	}
	_, e := seed(t)
	for name, h := range map[string]string{
		"plain":           "Oil prices climb as OPEC+ trims output; Brent tops $90 a barrel",
		"cue_words":       "Judge dismisses lawsuit, company confirms it will not settle (NYSE: XOM)",
		"alias_words":     "Happy hour: racing fans toast derby winner at Sha Tin",
		"named_not_about": "Disney shares rise after strong quarter; Alibaba (BABA) slips",
	} {
		t.Run(name, func(t *testing.T) {
			e.Classify(h) // warm the pool
			if n := testing.AllocsPerRun(200, func() {
				if sigs := e.Classify(h); sigs != nil {
					t.Fatalf("signals %v", sigs)
				}
			}); n != 0 {
				t.Errorf("%v allocations per headline, want 0", n)
			}
		})
	}
}

// TestClassifyConcurrent: the engine gives the same answers from many goroutines at once.
func TestClassifyConcurrent(t *testing.T) {
	_, e := seed(t)
	headlines := []string{
		"Disney sues ByteDance over Seedance 2.0",
		"Alibaba reportedly built HappyHorse-1.0",
		"阿里巴巴否认开发HappyHorse",
		"Oil prices climb as OPEC trims output",
		"HappyHorse-1.0 now available on Alibaba Cloud Model Studio",
	}
	want := make([][]catalysts.Signal, len(headlines))
	for i, h := range headlines {
		want[i] = e.Classify(h)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := (g + n) % len(headlines)
				if got := e.Classify(headlines[i]); !sameSignals(got, want[i]) {
					t.Errorf("%q: got %+v, want %+v", headlines[i], got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func sameSignals(a, b []catalysts.Signal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Catalyst != b[i].Catalyst || a[i].State != b[i].State || a[i].Cue != b[i].Cue ||
			a[i].Reason != b[i].Reason || !slices.Equal(a[i].Aliases, b[i].Aliases) {
			return false
		}
	}
	return true
}

// userConfig is a catalyst a user could write, unrelated to the seed ones: no code knows it.
const userConfig = `
language:
  hedges: ["(may|could|reportedly|expected_to)", "?"]
  negations: ["(not|no|delays|delayed)"]
  pending: ["(seeks|asks|awaits|awaiting)"]
  adjacent: ["to"]
  after: ["(decision|deadline)"]
  breaks: ["(as|while)"]
  conjunctions: ["(and|but)"]
policy:
  trusted_sources: [fda.gov]
catalysts:
  - id: acme-zentrava
    name: "FDA decides on Zentrava"
    tickers: [ACME]
    initial: pending
    entities:
      acme: ["(Acme|Acme_Therapeutics)", "$ACME"]
      drug: ["(Zentrava|ZTV-101)"]
      fda: ["(FDA|Food_and_Drug_Administration|U.S._regulators)"]
    about: [drug]
    exclude: ["(zentrava_hotel|zentrava_resort)"]
    states:
      pending:
        description: "Under review."
      approved:
        description: "The FDA approved Zentrava."
        impact: {ACME: bullish}
        require: [drug, fda]
        cues:
          - "{fda} ... (approve|approves|approved|clear|clears|cleared|greenlights)"
          - "(wins|gets|secures) {fda} (approval|nod)"
      rejected:
        description: "The FDA turned Zentrava down."
        impact: {ACME: bearish}
        cues:
          - "(rejects|rejected|turns_down)"
          - "complete response letter"
    transitions:
      pending: [approved, rejected]
      rejected: [approved]
`

// TestUserCatalyst: a catalyst written only in configuration works without code changes.
func TestUserCatalyst(t *testing.T) {
	cfg, _, err := config.Parse("user.yaml", []byte(userConfig), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	e, err := catalysts.NewEngine(cfg.Catalysts, cfg.Language)
	if err != nil {
		t.Fatal(err)
	}
	const acme = "acme-zentrava"
	for name, tc := range map[string]struct {
		headline string
		want     want
	}{
		"approved":              {"FDA approves Acme's Zentrava for chronic migraine", want{acme: "approved"}},
		"approved_ticker":       {"$ACME soars after U.S. regulators clear ZTV-101", want{acme: "approved"}},
		"approved_gap":          {"Acme Therapeutics wins FDA approval for Zentrava", want{acme: "approved"}},
		"rejected":              {"Acme gets complete response letter for Zentrava", want{acme: "rejected"}},
		"rejected_title_case":   {"FDA REJECTS ZENTRAVA", want{acme: "rejected"}},
		"approval_needs_fda":    {"Zentrava approved in Europe", want{acme: catalysts.Mention}},
		"hedged":                {"FDA may approve Zentrava this week", want{acme: catalysts.Mention}},
		"question":              {"Will the FDA approve Zentrava?", want{acme: catalysts.Mention}},
		"negated":               {"FDA has not approved Zentrava yet", want{acme: catalysts.Mention}},
		"pending_step":          {"Acme asks FDA to approve Zentrava faster", want{acme: catalysts.Mention}},
		"after_modifier":        {"Zentrava rejected decision appealed", want{acme: catalysts.Mention}},
		"conjunction":           {"FDA has not approved Zentrava and rejects filing", want{acme: "rejected"}},
		"excluded":              {"Zentrava Hotel rejects union bid", want{acme: none}},
		"not_about":             {"FDA approves new flu vaccine", want{acme: none}},
		"seed_catalysts_absent": {"Disney sues ByteDance over Seedance", want{db: none}},
	} {
		t.Run(name, func(t *testing.T) { checkWant(t, e, tc.headline, tc.want) })
	}

	// Its policy comes from the configuration too: fda.gov decides alone.
	d := &cfg.Catalysts[0]
	m := catalysts.NewMachine(d, catalysts.NewPolicy(cfg.PolicyFor(d)), "", time.Time{}, nil)
	ts, out := m.Observe(catalysts.Evidence{HeadlineID: "u1", State: "approved", Source: "www.fda.gov",
		Title: "FDA approves Zentrava", Published: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)})
	if out != catalysts.Moved || len(ts) != 1 || ts[0].From != "pending" || ts[0].To != "approved" {
		t.Fatalf("Observe: %v %+v", out, ts)
	}
}

// TestConfigErrors: a bad cue is a configuration error that names the file, the catalyst and
// the mistake.
func TestConfigErrors(t *testing.T) {
	cue := `"{fda} ... (approve|approves|approved|clear|clears|cleared|greenlights)"`
	for name, tc := range map[string]struct {
		old, new string // a replacement in userConfig
		msg      string
	}{
		"unknown_group":    {cue, `"{fdaa} ... approves"`, `unknown entity group "{fdaa}"`},
		"no_word":          {cue, `"{fda} {drug}"`, `has no literal word`},
		"only_gap":         {cue, `"... approves"`, `starts with a gap`},
		"ends_with_gap":    {cue, `"{fda} approves ..."`, `ends with a gap`},
		"two_gaps":         {cue, `"{fda} ... ... approves"`, `two gaps in a row`},
		"unknown_require":  {"require: [drug, fda]", "require: [drug, ema]", `unknown entity group "ema"`},
		"unknown_about":    {"about: [drug]", "about: [medicine]", `unknown entity group "medicine"`},
		"empty_alias":      {`drug: ["(Zentrava|ZTV-101)"]`, `drug: ["(Zentrava|ZTV-101)", "()"]`, `alias "()" has no words`},
		"empty_modifier":   {`adjacent: ["to"]`, `adjacent: ["to", "$"]`, `modifier "$" has no words`},
		"mention_reserved": {"      rejected:\n", "      mention:\n", `"mention" is reserved`},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(userConfig, tc.old) {
				t.Fatalf("userConfig lacks %q", tc.old)
			}
			text := strings.Replace(userConfig, tc.old, tc.new, 1)
			_, _, err := config.Parse("user.yaml", []byte(text), noEnv)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "user.yaml:") {
				t.Errorf("error %q, want it to start with the file and contain %q", err, tc.msg)
			}
		})
	}
}

// TestNewEngineErrors: NewEngine itself refuses what it cannot compile.
func TestNewEngineErrors(t *testing.T) {
	base := func() catalysts.Definition {
		return catalysts.Definition{ID: "x", Initial: "a",
			Entities: map[string]catalysts.Phrases{"g": {"Gizmo"}}, About: []string{"g"},
			States: map[string]catalysts.State{"a": {}, "b": {Cues: catalysts.Phrases{"ships"}}}}
	}
	for name, tc := range map[string]struct {
		defs []catalysts.Definition
		lang catalysts.Language
		msg  string
	}{
		"duplicate_id": {[]catalysts.Definition{base(), base()}, catalysts.Language{}, `duplicate catalyst id "x"`},
		"empty_hedge":  {[]catalysts.Definition{base()}, catalysts.Language{Hedges: catalysts.Phrases{"$"}}, `modifier "$" has no words`},
		"no_about":     {[]catalysts.Definition{func() catalysts.Definition { d := base(); d.About = nil; return d }()}, catalysts.Language{}, "about must name"},
		"bad_group_in_cue": {[]catalysts.Definition{func() catalysts.Definition {
			d := base()
			d.States["b"] = catalysts.State{Cues: catalysts.Phrases{"{h} ships"}}
			return d
		}()}, catalysts.Language{}, `unknown entity group "{h}"`},
		"alternative_empty": {[]catalysts.Definition{func() catalysts.Definition {
			d := base()
			d.States["b"] = catalysts.State{Cues: catalysts.Phrases{"(|)"}}
			return d
		}()}, catalysts.Language{}, "has no literal word"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := catalysts.NewEngine(tc.defs, tc.lang)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %q", err, tc.msg)
			}
		})
	}
}
