package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

const licenseUsage = "usage: tongban license verify FILE (--keys SEALS.json | --url https://tongban.example)"

// runLicense checks a downloaded signed licence (GET
// /api/v1/licenses/{identifier}/signed) offline, against a saved copy of
// GET /api/v1/seals or the keys fetched from a server's --url.
func runLicense(ctx context.Context, args []string, e env, s stdio) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf(licenseUsage)
	}
	fs := flag.NewFlagSet("license verify", flag.ContinueOnError)
	fs.SetOutput(s.err)
	keysFile := fs.String("keys", "", "a saved copy of GET /api/v1/seals")
	url := fs.String("url", "", "the server whose /api/v1/seals to fetch")
	var file string
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || (*keysFile == "") == (*url == "") {
		return fmt.Errorf(licenseUsage)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var signed license.Signed
	if err := json.Unmarshal(raw, &signed); err != nil {
		return fmt.Errorf("%s 不是签名证照 JSON：%v", file, err)
	}
	keys, err := sealKeys(ctx, *keysFile, *url)
	if err != nil {
		return err
	}
	c, err := license.CheckSigned(signed, keys)
	if err != nil {
		return fmt.Errorf("%s：%v", file, err)
	}
	state := "现行密钥"
	if !c.Key.RetiredAt.IsZero() {
		state = "已轮换停用的密钥，于 " + c.Key.RetiredAt.Format("2006-01-02") + " 前签发有效"
	}
	_, err = fmtOut(s, "签名有效：%s\n  证照类型 %s，证照编号 %s，版本 %s\n  发证机构 %s（%s），有效期 %s 至 %s\n  签名密钥 %s（%s，%s）\n"+
		"离线核验只证明内容未被改动、确由该机构签发；是否已注销或变更，请在线核验。\n",
		c.Identifier, c.Field("type_name"), c.Field("number"), c.Field("version"), c.Field("issuer"), c.Field("issuer_code"),
		c.Field("valid_from"), c.Field("valid_to"), c.Key.ID, license.Algorithm, state)
	return err
}

// sealKeys reads the published keys from a file or fetches them.
func sealKeys(ctx context.Context, file, url string) ([]tongban.SealKey, error) {
	var body []byte
	var err error
	if file != "" {
		if body, err = os.ReadFile(file); err != nil {
			return nil, err
		}
	} else {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(url, "/")+"/api/v1/seals", nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("获取公布的印章公钥：%v", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("获取公布的印章公钥：%s", resp.Status)
		}
		if body, err = io.ReadAll(io.LimitReader(resp.Body, 16<<20)); err != nil {
			return nil, err
		}
	}
	var keys []tongban.SealKey
	if err := json.Unmarshal(body, &keys); err != nil {
		return nil, fmt.Errorf("印章公钥列表不是 /api/v1/seals 的 JSON：%v", err)
	}
	return keys, nil
}
