// Adds the cdktf matchers (toHaveResource, toHaveProviderWithProperties, ...) to jest's expect.
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
