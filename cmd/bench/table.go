package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"
)

// table collects the results printed at the end.
type table struct {
	rows [][5]string
}

func (t *table) add(section, metric, value, target, verdict string) {
	t.rows = append(t.rows, [5]string{section, metric, value, target, verdict})
}

func (t *table) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\npageinbox benchmark - %s, %d CPUs, %s, %s\n\n", o.db, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "section\tmetric\tvalue\ttarget\t")
	fmt.Fprintln(tw, "-------\t------\t-----\t------\t")
	for _, r := range t.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r[0], r[1], r[2], r[3], r[4])
	}
	_ = tw.Flush()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// percentile returns the p-th percentile (0..100) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

func ms(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
}

// spread is "min / median / max" of ds, for figures measured repeatedly.
func spread(ds []time.Duration) string {
	return ms(percentile(ds, 0)) + " / " + ms(percentile(ds, 50)) + " / " + ms(percentile(ds, 100))
}

// spreadOf is "min / median / max" of rates or ratios, to two decimals
// below 10 and as integers above.
func spreadOf(vs []float64) string {
	if len(vs) == 0 {
		return "-"
	}
	s := sorted(vs)
	f := func(v float64) string {
		if v < 10 {
			return fmt.Sprintf("%.2f", v)
		}
		return fmt.Sprintf("%.0f", v)
	}
	return f(s[0]) + " / " + f(s[(len(s)-1)/2]) + " / " + f(s[len(s)-1])
}

// median is the median spreadOf prints (the lower of two middles).
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := sorted(vs)
	return s[(len(s)-1)/2]
}

func sorted(vs []float64) []float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	return s
}
