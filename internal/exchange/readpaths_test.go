package exchange_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/api"
)

// Every way another person's data can leave Tongban is listed here, and
// this test fails when a new one appears unlisted: a new API route, a new
// place that reveals a full ID number or phone (the only way past their
// masking is Reveal), or a new reader of shared-data records, library
// entries, consents or the data record itself. Each entry says why it is
// recorded in the person's data record, or why it is not a read of another
// person's data. Add new paths here with that reason — and if the reason
// is "recorded", the test that shows it.

// How a path treats another person's personal data.
const (
	none     = "none"     // returns no one's personal data (catalog, calendar, aggregates, metadata)
	own      = "own"      // only the caller's own data
	masked   = "masked"   // another person's data, masked (the types mask themselves)
	caseData = "case"     // a case's application, to those handling it: what the applicant handed over for it
	recorded = "recorded" // another person's data read in full, each read recorded as a data use
)

// apiReads classifies every route of the API route table.
var apiReads = map[string]string{
	"POST /api/v1/register":            own,
	"POST /api/v1/register/enterprise": own,
	"POST /api/v1/login":               own,
	"POST /api/v1/logout":              own,
	"GET /api/v1/me":                   own,
	"POST /api/v1/me/password":         own,
	"GET /api/v1/regions":              none,
	"GET /api/v1/regions/{code}":       none,
	"POST /api/v1/regions":             none,
	"GET /api/v1/orgs":                 none,
	"GET /api/v1/orgs/{id}":            none,
	"POST /api/v1/orgs":                none,
	// Masked by default; full=1 is a staff reveal, recorded as a data use
	// by identity.ReadUser (trust-a's tests).
	"GET /api/v1/users/{id}": recorded,
	// The counter identifies an applicant by the full ID number presented;
	// the answer is masked and the lookup recorded (counter_lookup).
	"POST /api/v1/applicants/lookup":       recorded,
	"POST /api/v1/staff":                   none, // staff accounts hold no ID number or phone of a citizen
	"GET /api/v1/orgs/{id}/staff":          none,
	"POST /api/v1/users/{id}/roles":        none,
	"DELETE /api/v1/users/{id}/roles":      none,
	"GET /api/v1/tokens":                   own,
	"POST /api/v1/tokens":                  own,
	"DELETE /api/v1/tokens/{id}":           own,
	"GET /api/v1/audit":                    masked, // actors are staff; personal values never enter the log unmasked
	"GET /api/v1/audit/verify":             none,
	"GET /api/v1/items":                    none,
	"GET /api/v1/items/{code}":             none,
	"POST /api/v1/items/{code}/claim":      none,
	"GET /api/v1/listings":                 none,
	"GET /api/v1/listings/{id}":            none,
	"GET /api/v1/listings/{id}/versions":   none,
	"POST /api/v1/listings/{id}/checklist": none,
	"PUT /api/v1/listings/{id}":            none,
	"POST /api/v1/listings/{id}/publish":   none,
	"POST /api/v1/listings/{id}/suspend":   none,
	"POST /api/v1/listings/{id}/withdraw":  none,
	"GET /api/v1/catalog/quality":          none,
	"GET /api/v1/catalog/consistency":      none,
	"POST /api/v1/catalog/import":          none,
	"GET /api/v1/calendar/due":             none,
	"GET /api/v1/calendar/workday":         none,
	"GET /api/v1/calendar/years":           none,
	"GET /api/v1/calendar/years/{year}":    none,
	"PUT /api/v1/calendar/years/{year}":    none,
	"POST /api/v1/uploads":                 own,
	"GET /api/v1/uploads/{hash}":           caseData,
	// A submission or material action with a shared or reused claim reads
	// the applicant's record or library entry: the resolvers record it
	// (TestLibraryReuseAcrossListings, TestConsentForConditionalResource).
	"POST /api/v1/cases":                        recorded,
	"GET /api/v1/cases":                         masked, // staff queues show applicants masked
	"GET /api/v1/cases/{number}":                caseData,
	"GET /api/v1/cases/{number}/events":         caseData,
	"POST /api/v1/cases/{number}/accept":        caseData,
	"POST /api/v1/cases/{number}/reject":        caseData,
	"POST /api/v1/cases/{number}/correction":    caseData,
	"POST /api/v1/cases/{number}/supplement":    recorded,
	"POST /api/v1/cases/{number}/review":        caseData,
	"POST /api/v1/cases/{number}/approve":       caseData,
	"POST /api/v1/cases/{number}/deny":          caseData,
	"POST /api/v1/cases/{number}/special-start": caseData,
	"POST /api/v1/cases/{number}/special-end":   caseData,
	"POST /api/v1/cases/{number}/issue":         caseData,
	"POST /api/v1/cases/{number}/deliver":       caseData,
	"POST /api/v1/cases/{number}/close":         caseData,
	"POST /api/v1/cases/{number}/withdraw":      own,
	"POST /api/v1/cases/{number}/owed":          recorded,
	"POST /api/v1/cases/{number}/post-check":    caseData,
	"GET /api/v1/cases/{number}/notices/{kind}": caseData,
	"GET /api/v1/cases/{number}/qr.png":         none,
	// 办件查询 without signing in: the progress of a case to whoever holds its
	// number and the applicant's name, as the applicant would (names masked).
	"GET /api/v1/progress/{number}": own,
	// 电子证照 verification without signing in: type, issuer, dates, status
	// and a person's name masked, never the ID number (TestLicenceVerifyEndpoint).
	"GET /api/v1/licenses/verify": masked,
	"GET /api/v1/seals":           none, // issuers' public keys
	// The issuing department's actions answer the licence's state only
	// (identifier, type, number, version, status), no holder or face.
	"POST /api/v1/licenses/{identifier}/revoke": none,
	"POST /api/v1/licenses/{identifier}/change": none,
	"POST /api/v1/licenses/import":              none, // the identifiers made
	"POST /api/v1/seals/rotate":                 none, // the new public key
	"GET /api/v1/licenses":                      own,  // the caller's own licences, ID numbers masked
	"GET /api/v1/licenses/{identifier}/signed":  own,  // the holder only; anyone else gets not_found
	// 我的证照 and 用证: the holder's own licences; staff of the issuer or of a
	// case the holder authorised read one, recorded as license_read
	// (TestLicenceWalletAPI, TestLicenceUseThroughTheAPI).
	"GET /api/v1/licenses/usable":                           own,
	"GET /api/v1/licenses/{identifier}":                     recorded,
	"GET /api/v1/licenses/{identifier}/pdf":                 recorded,
	"POST /api/v1/licenses/{identifier}/shares":             own,
	"POST /api/v1/licenses/{identifier}/shares/{id}/revoke": own,
	// 好差评: the applicant's own ratings; the department's tickets carry
	// the rating (level, reasons, the rater's comment), never the rater.
	"POST /api/v1/cases/{number}/ratings":            own,
	"GET /api/v1/cases/{number}/ratings":             own,
	"PUT /api/v1/cases/{number}/ratings/{encounter}": own,
	"GET /api/v1/rectifications":                     none,
	"GET /api/v1/rectifications/{id}":                none,
	"POST /api/v1/rectifications/{id}/answer":        none,
	// The rater judges the department's answer to their own rating; the
	// public 成绩单 and the supervisor's rating measures are aggregates.
	"POST /api/v1/cases/{number}/ratings/{encounter}/verdict": own,
	"GET /api/v1/public/ratings":                              none,
	"GET /api/v1/stats/ratings":                               none,
	"GET /api/v1/stats/score":                                 none,
	// Appeals and 督办 name ratings, tickets and cases, never the rater or
	// an applicant's numbers; complaints show the complainant's name and
	// phone masked to everyone but the complainant (TestComplaintRefusals).
	"POST /api/v1/rectifications/{id}/appeal":      none,
	"GET /api/v1/appeals":                          none,
	"POST /api/v1/appeals/{id}/decision":           none,
	"POST /api/v1/rectifications/{id}/forward":     none,
	"GET /api/v1/supervision-notices":              none,
	"POST /api/v1/supervision-notices":             none,
	"GET /api/v1/supervision-notices/{id}":         none,
	"POST /api/v1/supervision-notices/{id}/answer": none,
	"POST /api/v1/complaints":                      masked,
	"GET /api/v1/complaints":                       masked,
	"GET /api/v1/complaints/{number}":              masked,
	"POST /api/v1/complaints/{number}/steps":       masked,
	"GET /api/v1/stats/complaints":                 none,
	// Publication review: listing versions, no one's personal data.
	"POST /api/v1/listings/{id}/propose":        none,
	"POST /api/v1/listings/{id}/proposal/close": none,
	"GET /api/v1/catalog/proposals":             none,
	// 一件事: definitions, checklists and per-bundle measures carry no
	// personal data (measures name bundles and case numbers, no people); an
	// application's materials are uploads the applicant hands over (a
	// reference status is refused), so the sub-cases hold case data only.
	"GET /api/v1/bundles":                           none,
	"GET /api/v1/bundles/{id}":                      none,
	"POST /api/v1/bundles/{id}/checklist":           none,
	"GET /api/v1/bundles/{id}/measures":             none,
	"POST /api/v1/bundles/{id}/cases":               caseData,
	"POST /api/v1/cases/{number}/bundle-supplement": caseData,
	"POST /api/v1/cases/{number}/bundle-handover":   caseData,
	"GET /api/v1/supervision/overdue":               masked,
	"GET /api/v1/supervision/denials":               masked,
	"GET /api/v1/supervision/post-checks":           masked,
	"GET /api/v1/search":                            none,
	"GET /api/v1/stats/measures":                    none,
	"GET /api/v1/standard-materials":                none,
	"PUT /api/v1/standard-materials/{code}":         none,
	"GET /api/v1/me/library":                        own,
	"DELETE /api/v1/me/library/{id}":                own,
	"GET /api/v1/me/library/offers":                 own,
	"POST /api/v1/cases/{number}/confirm-materials": caseData,
	"GET /api/v1/data-resources":                    none,
	"PUT /api/v1/data-resources/{code}":             none,
	"PUT /api/v1/data/{resource}/records":           none, // providers write; nothing is read back
	"GET /api/v1/me/shared":                         own,  // always the signed-in person's own records, masked
	"GET /api/v1/me/prefill":                        own,  // the signed-in person's own account and records
	"GET /api/v1/me/consents":                       own,
	"POST /api/v1/me/consents":                      own,
	"DELETE /api/v1/me/consents/{id}":               own,
	"GET /api/v1/me/data-uses":                      own,
	"GET /api/v1/me/data-uses/export":               own,
	"GET /api/v1/openapi.json":                      none,
	"GET /api/v1/stats/no-submit":                   none, // counts
	"GET /api/v1/catalog/sparable":                  none,
	// Department systems (internal/oidc, internal/outbox): registrations and
	// delivery logs. Events carry an account number, never an ID number or
	// phone; what a system receives about a person goes through the OIDC
	// userinfo endpoint, recorded (TestCodeFlowWithPKCE).
	"POST /api/v1/oidc/clients":                      none,
	"GET /api/v1/oidc/clients":                       none,
	"PATCH /api/v1/oidc/clients/{client_id}":         none,
	"POST /api/v1/webhooks":                          none,
	"GET /api/v1/webhooks":                           none,
	"PATCH /api/v1/webhooks/{id}":                    none,
	"GET /api/v1/webhooks/{id}/deliveries":           none,
	"POST /api/v1/webhook-deliveries/{id}/redeliver": none,
	"POST /api/v1/me/phone/code":                     own,
	"POST /api/v1/me/phone/verify":                   own,
	"POST /api/v1/password/code":                     none, // answers every number alike, masked as typed
	"POST /api/v1/password/reset":                    none,
	"POST /api/v1/register/phone-code":               none, // texts a code to the number typed; answers it masked
}

func TestEveryAPIRouteIsClassified(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range api.New(api.Deps{}).Routes() {
		key := r.Method + " " + r.Path
		seen[key] = true
		if _, ok := apiReads[key]; !ok {
			t.Errorf("route %s is not classified in apiReads: say whether it returns another person's data, and if so how the read is recorded", key)
		}
	}
	for key := range apiReads {
		if !seen[key] {
			t.Errorf("apiReads lists %s, which the API no longer has", key)
		}
	}
}

// revealSites are the places that take a full ID number or phone out of
// its masking type (Reveal), by file and function, with why each is not an
// unrecorded read of another person's data.
var revealSites = map[string]string{
	"resource.go SubjectOf":                             "the key of the applicant's own records, used by the resolvers and lookups that record the read",
	"internal/store/user.go CreateUser":                 "sealed at rest and blind-indexed: storage, not a read",
	"internal/license/licensetest/licensetest.go Store": "a test helper signing a licence for its holder: storage, not a read",
	"internal/license/issue.go newLicence":              "the applicant's own ID number, signed into their own licence and sealed at rest: storage, not a read",
	"internal/license/import.go checkRow":               "the holder's ID number the issuing department itself supplied, signed into the holder's licence and sealed at rest: storage, not a read",
	"internal/license/face_confirm.go accountFace":      "the applicant's ID number as the 社会保障号码 face item (the law makes them one): shown to the approver masked, written into the applicant's own licence",
	"internal/store/handover.go RecordHandover":         "the collector's ID number sealed at rest with the 签收: storage, not a read",
	"internal/store/complaint.go CreateComplaint":       "the complainant's phone sealed at rest with the complaint: storage, not a read",
	"internal/store/user.go UserByIDNumber":             "blind index of a number the caller already has",
	"internal/store/user.go MarkPhoneVerified":          "blind index of the phone being verified: storage, not a read",
	"internal/identity/login.go NormalLogin":            "the sign-in name the person typed, normalised to look their own account up",
	"internal/identity/login.go ChangePassword":         "the person's own numbers, so a new password cannot contain them",
	"internal/identity/register.go RegisterCitizen":     "the registrant's own numbers, so the password cannot contain them",
	"internal/identity/register.go RegisterEnterprise":  "the registrant's own numbers, so the password cannot contain them",
	"internal/identity/staff.go CreateStaff":            "a new staff member's own phone, so the password cannot contain it",
	"internal/exchange/resources.go parseSubject":       "a provider's own pushed subject, sealed at rest",
	"internal/web/cases_apply.go applyPage":             "the applicant's own phone, on their own form",
	"internal/web/cases_apply.go checkOnline":           "the phone the applicant typed, into their own application",
	"internal/web/cases_counter.go checkCounter":        "the phone the clerk typed for the applicant at the window, into the application",
	"internal/web/cases_counter.go applicantOf":         "a clerk's full view of the applicant served, only when full: identity.ReadUser records it as a staff reveal",
	"internal/api/users.go getUser":                     "full=1 only after identity.ReadUser recorded the staff reveal",
	"internal/notify/codes.go issue":                    "the number a person asked a code for, texted to it; the message log keeps it sealed",
	"internal/notify/codes.go mac":                      "keys a code's HMAC to the number it went to; nothing is stored or shown",
	"internal/notify/notify.go messages":                "the person's own proved phone, where their own notification goes (sealed in the queue)",
	"internal/notify/sms.go SendSMS":                    "hands a text to the SMS gateway or the development sink, for the number's owner",
	"internal/oidc/release.go release":                  "a department system's userinfo answer, with the person's consent, recorded as api_release (TestCodeFlowWithPKCE)",
	"internal/store/notify.go CountCodes":               "blind index of a number the caller already has",
	"internal/store/notify.go CreateCode":               "blind index of the number a code went to: storage, not a read",
	"internal/store/notify.go LatestCode":               "blind index of a number the caller already has",
	"internal/web/account_phone.go phoneCode":           "the number the person typed, shown back on their own form",
	"internal/web/recovery_sms.go forgotCode":           "the number the person typed, shown back on their own form (every number alike)",
	"internal/notify/reset.go SendResetCode":            "the number the person typed, to look up whether an account proved it; nothing is shown",
	"internal/notify/reset.go ResetPassword":            "the number the person typed, so the new password cannot contain it",
}

// recordReaders are the functions that read shared-data records, library
// entries, consents or the data record, with why each read is recorded or
// is the person's own.
var recordReaders = map[string]string{
	"internal/exchange/shared.go stored":                  "before a submission or a lookup, for the applicant's own claim; the resolver or Lookup records the read",
	"internal/exchange/shared.go ResolveMaterial":         "recorded as shared_lookup with the case",
	"internal/exchange/shared.go PrepareMaterial":         "checks the applicant's own consent; reads an 无条件 resource's record for the applicant's own claim, which the resolver records",
	"internal/exchange/lookup.go Lookup":                  "the applicant's own; recorded as shared_lookup when staff look",
	"internal/exchange/prefill.go Prefill":                "the applicant's own consent, checked before a 有条件 record fills their form",
	"internal/exchange/library.go KeepConfirmed":          "staff confirming the applicant's file in the case they handle",
	"internal/exchange/library.go entry":                  "for the applicant's own claim, before or in a submission; the resolver records it as library_use with the case",
	"internal/exchange/library.go Entries":                "the owner's own library",
	"internal/exchange/library.go Offers":                 "the applicant's own library, offered on their form (at a window, the applicant is there)",
	"internal/exchange/record.go Uses":                    "the person's own data record",
	"internal/web/exchange_record.go dataUsesPage":        "the person's own consents",
	"internal/web/licenses_wallet.go renderWallet":        "the person's own data-use record: the uses of their own licences, in their wallet",
	"internal/web/exchange_console.go sharedRecords":      "the record that spared a material of a case, shown to its handlers: recorded when the case took it",
	"internal/api/exchange_data.go myConsents":            "the person's own consents",
	"internal/workflow/claim_reads.go readAhead":          "the rows the claims' preparers name (ClaimKeys), read together for them: what PrepareMaterial reads",
	"internal/workflow/claim_reads.go DataResourceRecord": "a preparer's read, answered from its read-ahead or else read: PrepareMaterial's own",
	"internal/workflow/claim_reads.go LibraryEntry":       "a preparer's read, answered from its read-ahead or else read: library.go entry's own",
}

// sites finds, in the module's non-test Go files, every call of a method
// with one of the names, as "file function".
func sites(t *testing.T, names map[string]bool) map[string]bool {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && names[sel.Sel.Name] {
						out[rel+" "+fn.Name.Name] = true
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkSites(t *testing.T, what string, found map[string]bool, listed map[string]string) {
	t.Helper()
	var missing []string
	for s := range found {
		if _, ok := listed[s]; !ok {
			missing = append(missing, s)
		}
	}
	sort.Strings(missing)
	for _, s := range missing {
		t.Errorf("%s: %s is not listed; add it with why the read is recorded or is not another person's", what, s)
	}
	for s := range listed {
		if !found[s] {
			t.Errorf("%s: %s is listed but no longer there", what, s)
		}
	}
}

func TestEveryRevealIsAccountedFor(t *testing.T) {
	checkSites(t, "Reveal", sites(t, map[string]bool{"Reveal": true}), revealSites)
}

func TestEveryRecordReaderIsAccountedFor(t *testing.T) {
	found := sites(t, map[string]bool{"DataRecord": true, "DataRecordByID": true, "DataResourceRecord": true, "LibraryEntry": true,
		"LibraryEntries": true, "Consents": true, "OpenConsent": true, "DataUses": true, "ReadClaims": true})
	for s := range found {
		if strings.HasPrefix(s, "internal/store/") { // the store's own implementation
			delete(found, s)
		}
	}
	checkSites(t, "record reader", found, recordReaders)
}
