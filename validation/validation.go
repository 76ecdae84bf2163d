// Package validation holds the error every construct of this library raises
// for bad input at synth time. A constructor panics with an *Error before it
// creates any resource, so a mistake never yields a weaker template; a test
// recovers the panic and matches it with errors.As:
//
//	defer func() {
//		var verr *validation.Error
//		if err, ok := recover().(error); ok && errors.As(err, &verr) {
//			fmt.Println(verr.Construct, verr.Prop) // PhiDatabase AppClients
//		}
//	}()
//	phidatabase.NewPhiDatabase(stack, jsii.String("Db"), &phidatabase.PhiDatabaseProps{Vpc: vpc})
package validation

import "fmt"

// Error is a bad-input error raised at synth time. Its message has the form
// "<Construct>: invalid prop <Prop>: <Problem>".
type Error struct {
	// Construct is the construct type, e.g. "HipaaVpc".
	Construct string
	// Path is the construct path the construct would have had, e.g.
	// "prod-network/Network"; empty when no scope was given.
	Path string
	// Prop is the offending prop, e.g. "Cidr" or "ClientVpn.ClientCidr".
	Prop string
	// Problem says what is wrong and, where it helps, what to do instead.
	Problem string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: invalid prop %s: %s", e.Construct, e.Prop, e.Problem)
}
