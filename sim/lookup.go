package sim

// ParamValue returns the value of the parameter at path (as for Set), such
// as "regions.gba.pull" or "links.bth-gba.friction".
func (c *Config) ParamValue(path string) (float64, error) {
	t, err := c.resolve(path)
	if err != nil {
		return 0, err
	}
	return t.get(c), nil
}

// ParamField returns the field path, in the form of FieldError.Field, of
// the parameter at path: "regions[1].pull" for "regions.gba.pull".
func (c *Config) ParamField(path string) (string, error) {
	t, err := c.resolve(path)
	if err != nil {
		return "", err
	}
	return t.field, nil
}

// ParamIsWhole reports whether the parameter at path takes whole numbers
// only (counts such as labs, firms and steps).
func (c *Config) ParamIsWhole(path string) (bool, error) {
	t, err := c.resolve(path)
	if err != nil {
		return false, err
	}
	return t.param.Int, nil
}
