package main

import (
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"debrief": func() {
			limitFileSize()
			os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
		},
	})
}

// TestScripts runs the command-line tests in testdata/script: whole sites as
// txtar archives, with the exit codes and messages the CLI promises.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// code N cmd args...: run cmd and require exit code N.
			"code": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 2 {
					ts.Fatalf("usage: code N command args...")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("code: %v", err)
				}
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					got = ee.ExitCode()
				} else if err != nil {
					ts.Fatalf("code: %v", err)
				}
				if got != want {
					ts.Fatalf("%s exited %d, want %d", args[1], got, want)
				}
			},
			// fsizelimit FILE N: the debrief commands that follow may not
			// make a file bigger than FILE is now plus N bytes (a full disk).
			"fsizelimit": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: fsizelimit FILE N")
				}
				fi, err := os.Stat(ts.MkAbs(args[0]))
				ts.Check(err)
				n, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				ts.Setenv("DEBRIEF_TEST_FSIZE", strconv.FormatInt(fi.Size()+n, 10))
			},
			"unsetfsizelimit": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Setenv("DEBRIEF_TEST_FSIZE", "")
			},
			// waitfor FILE REGEXP: wait up to a minute for FILE to match
			// REGEXP (a background watch rebuilding it).
			"waitfor": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 || neg {
					ts.Fatalf("usage: waitfor FILE REGEXP")
				}
				re, err := regexp.Compile(args[1])
				ts.Check(err)
				for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
					b, err := os.ReadFile(ts.MkAbs(args[0]))
					if err == nil && re.Match(b) {
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("%s: no match for %q after a minute (%v)", args[0], args[1], err)
					}
				}
			},
		},
	})
}
