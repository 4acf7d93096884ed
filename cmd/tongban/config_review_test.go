package main

import (
	"flag"
	"io"
	"testing"
)

// --catalog-review (TONGBAN_CATALOG_REVIEW) is parsed once into the
// config: off unless asked for.
func TestCatalogReviewFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  string
		want bool
	}{
		{nil, "", false},
		{[]string{"--catalog-review", "true"}, "", true},
		{nil, "true", true},
		{[]string{"--catalog-review=false"}, "true", false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		env := map[string]string{"TONGBAN_DATA": t.TempDir(), "TONGBAN_CATALOG_REVIEW": c.env}
		parse := configFlags(fs, func(k string) string { return env[k] })
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		cfg, err := parse()
		if err != nil || cfg.CatalogReview != c.want {
			t.Errorf("%v with env %q: review %v, %v; want %v", c.args, c.env, cfg.CatalogReview, err, c.want)
		}
	}
}
