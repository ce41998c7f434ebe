"""The browser face: ``mobility-coach serve`` serves the whole app to browser tabs on this
computer, one app process per tab, through Textualize's textual-serve."""
