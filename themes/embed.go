// Package themes embeds the default theme so an installed binary needs
// nothing beside it.
package themes

import "embed"

// Default is the default theme: layouts/ and assets/.
//
//go:embed default
var Default embed.FS
