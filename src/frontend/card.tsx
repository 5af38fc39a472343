import ForgeReconciler from '@forge/react';
import { RepositoryCard } from './repository-card';

// The manifest's `repository-card` resource: Forge runs this file and renders the card.
ForgeReconciler.render(<RepositoryCard />);
