// Registers the cdktf matchers (toHaveResourceWithProperties, ...) on jest's expect.
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();
