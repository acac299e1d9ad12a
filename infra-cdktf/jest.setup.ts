// Declares toHaveResource, toHaveResourceWithProperties, … on jest's Matchers (types only).
import type {} from 'cdktf/lib/testing/adapters/jest';

// Registers the matchers; importing the adapter alone does not.
require('cdktf').Testing.setupJest();
