package stats

import (
	"fmt"
	"strconv"
	"strings"
)

// ScoreMeasure names one measure of the 成绩单's score.
type ScoreMeasure string

// The measures a score weighs, in the order the formula prints them.
const (
	ScoreOnTime  ScoreMeasure = "ontime"  // 按时办结率
	ScoreGood    ScoreMeasure = "good"    // 好评率
	ScoreRectify ScoreMeasure = "rectify" // 整改按时率 (差评整改按时率)
	ScoreWindow  ScoreMeasure = "window"  // 一窗受理率
	ScoreOnline  ScoreMeasure = "online"  // 网上可办率
)

// ScoreMeasures are every measure a score may weigh, in printing order.
var ScoreMeasures = []ScoreMeasure{ScoreOnTime, ScoreGood, ScoreRectify, ScoreWindow, ScoreOnline}

// Label is the measure's Chinese name.
func (m ScoreMeasure) Label() string {
	return map[ScoreMeasure]string{ScoreOnTime: "按时办结率", ScoreGood: "好评率", ScoreRectify: "整改按时率",
		ScoreWindow: "一窗受理率", ScoreOnline: "网上可办率"}[m]
}

// Weights are the city's published weighting of the 成绩单: a whole number
// per measure, summing to 100. A measure left out (0) does not count.
type Weights map[ScoreMeasure]int

// DefaultWeights is the weighting when the city sets none: the time limit
// and the ratings first, then their rectification, the window and online.
var DefaultWeights = Weights{ScoreOnTime: 30, ScoreGood: 30, ScoreRectify: 20, ScoreWindow: 10, ScoreOnline: 10}

// ParseWeights reads "ontime=30,good=30,rectify=20,window=10,online=10"
// (--score-weights): known measures, each once, whole numbers 0–100,
// summing to 100; "" is DefaultWeights. The error says what is wrong.
func ParseWeights(s string) (Weights, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultWeights, nil
	}
	w, sum := Weights{}, 0
	for _, part := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		m := ScoreMeasure(strings.TrimSpace(name))
		if !ok || m.Label() == "" {
			return nil, fmt.Errorf("%q: want measure=weight, the measures being ontime, good, rectify, window and online", part)
		}
		if _, dup := w[m]; dup {
			return nil, fmt.Errorf("%s is weighted twice", m)
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 || n > 100 {
			return nil, fmt.Errorf("%s=%s: want a whole number from 0 to 100", m, value)
		}
		w[m], sum = n, sum+n
	}
	if sum != 100 {
		return nil, fmt.Errorf("the weights sum to %d: want 100", sum)
	}
	return w, nil
}

// String is the weighting as --score-weights takes it.
func (w Weights) String() string {
	var parts []string
	for _, m := range ScoreMeasures {
		if w[m] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", m, w[m]))
		}
	}
	return strings.Join(parts, ",")
}

// Formula is the score's formula as printed beside the ranking.
func (w Weights) Formula() string {
	var terms []string
	for _, m := range ScoreMeasures {
		if w[m] > 0 {
			terms = append(terms, fmt.Sprintf("%d×%s", w[m], m.Label()))
		}
	}
	return "得分 = (" + strings.Join(terms, " + ") + ") ÷ 计入的权重之和 × 100"
}
