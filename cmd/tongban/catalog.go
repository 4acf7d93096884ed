package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

const (
	importUsage = "usage: tongban import FILE.xlsx|FILE.csv [--create-orgs] [--publish] [--data DIR | --db URL]"
	exportUsage = "usage: tongban export FILE.xlsx|FILE.csv [--region CODE] [--data DIR | --db URL]"
)

// fileArg takes the file argument, which may come before the flags
// (tongban import items.xlsx --publish) or after them.
func fileArg(args []string) (file string, rest []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// runImport stores a catalog file: every row is checked first, and a file
// with any error writes nothing and exits 1 after listing every error.
func runImport(ctx context.Context, args []string, e env, s stdio) error {
	file, args := fileArg(args)
	var createOrgs, publish bool
	var fs *flag.FlagSet
	a, err := openQuiet(ctx, "import", args, e, s, func(f *flag.FlagSet) {
		fs = f
		f.BoolVar(&createOrgs, "create-orgs", false, "create departments the file names but the region lacks")
		f.BoolVar(&publish, "publish", false, "publish every listing that passes the quality check")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	file, format, err := catalogFile(fs, file, importUsage)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()

	start := time.Now()
	progress := func(what string) func(done, total int) {
		return func(done, total int) {
			if total >= 2*catalog.ProgressEvery { // small files need no progress report
				fmt.Fprintf(s.err, "%s %d/%d\n", what, done, total)
			}
		}
	}
	b, err := catalog.Import(f, format, progress("已检查"))
	if err == nil {
		var res *catalog.ImportResult
		res, err = a.Catalog.ImportBatch(ctx, identity.Request{IP: "cli"}, b, catalog.ImportOptions{
			CreateMissingOrgs: createOrgs, Publish: publish, Reason: "命令行导入 " + filepath.Base(file),
			Progress: progress("已写入")})
		if err == nil {
			for _, w := range res.Warnings {
				fmt.Fprintf(s.err, "提示：%s\n", w.Error())
			}
			_, err = fmtOut(s, "导入完成（%s）：事项新增%d、更新%d；实施清单新增%d、更新%d，导入后已发布%d（本次发布%d）、草稿%d；新建部门%d个%s；用时%s\n",
				file, res.ItemsCreated, res.ItemsUpdated, res.ListingsCreated, res.ListingsUpdated, res.Live, res.Published, res.Drafts,
				len(res.OrgsCreated), orgList(res.OrgsCreated), time.Since(start).Round(time.Millisecond))
			return err
		}
	}
	var rows catalog.RowErrors
	if errors.As(err, &rows) {
		for _, r := range rows {
			fmt.Fprintln(s.err, r.Error())
		}
		return fmt.Errorf("%s 有%d处错误，未导入任何数据", file, len(rows))
	}
	return err
}

func orgList(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "（" + strings.Join(names, "、") + "）"
}

// runExport writes the catalog in the import layout; the file appears only
// when complete.
func runExport(ctx context.Context, args []string, e env, s stdio) error {
	file, args := fileArg(args)
	var region string
	var fs *flag.FlagSet
	a, err := openQuiet(ctx, "export", args, e, s, func(f *flag.FlagSet) {
		fs = f
		f.StringVar(&region, "region", "", "only listings of this region and below (12-digit code)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	file, format, err := catalogFile(fs, file, exportUsage)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	tmp.Chmod(0o644) // a report for people, like any file the user writes
	n, err := a.Catalog.ExportFile(ctx, identity.Request{IP: "cli"}, tmp, format, region)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	_, err = fmtOut(s, "已导出%d条实施清单到 %s\n", n, file)
	return err
}

// catalogFile settles the one file argument (before or after the flags) and
// its format, from the extension.
func catalogFile(fs *flag.FlagSet, file, usage string) (string, string, error) {
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" || fs.NArg() > 1 || (fs.NArg() == 1 && fs.Arg(0) != file) {
		return "", "", errors.New(usage)
	}
	format := catalog.FormatOf(file)
	if format == "" {
		return "", "", fmt.Errorf("%s: 只支持 .xlsx 或 .csv 文件", file)
	}
	return file, format, nil
}
